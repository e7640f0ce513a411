package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.ops.Precision;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --activations}: what a training forward keeps for backward, for the commands that train.
 * Its default follows the precision: bf16 convolutions round what they read to bfloat16 anyway,
 * so storing the activations so too costs them no accuracy, and it is what makes bf16 training
 * take less memory than float32 (as PyTorch's bf16 autocast does, whose activations are bf16).
 */
public final class ActivationsOption {

    @Option(names = "--activations", description = "What a training forward keeps for backward: KEEP (every "
            + "activation backward needs, in float32: the fastest), KEEP_BF16 (the same, each stored in bfloat16 "
            + "between its forward and its backward: about a third less memory, some 15% slower; with --precision "
            + "bf16 the convolutions' gradients are unchanged), RECOMPUTE (only block outputs; the rest is "
            + "recomputed during backward, for tiles too large to train otherwise; about one more forward per step) "
            + "or auto (KEEP_BF16 when the convolutions compute in bf16, else KEEP) (default: ${DEFAULT-VALUE}).")
    String activations = "auto";

    /**
     * @param precision what the convolutions compute in, as set by {@code --precision}
     * @return the mode asked for, or auto's choice for that precision
     * @throws IllegalArgumentException for an unknown name
     */
    Activations resolve(Precision precision) {
        if ("auto".equalsIgnoreCase(activations)) {
            return precision == Precision.BF16 ? Activations.KEEP_BF16 : Activations.KEEP;
        }
        try {
            return Activations.valueOf(activations.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--activations " + activations + ": not known; use KEEP, KEEP_BF16, "
                    + "RECOMPUTE or auto");
        }
    }
}
