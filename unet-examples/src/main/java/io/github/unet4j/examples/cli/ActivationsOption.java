package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.ops.Precision;
import io.github.unet4j.core.runtime.MemoryBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --activations}: what a training forward keeps for backward, for the commands that train.
 * Its default, auto, is the fastest mode whose training step fits in memory: KEEP, else
 * KEEP_BF16 where the convolutions compute in bf16 (they round what they read to bfloat16
 * anyway, so it costs them no accuracy), else RECOMPUTE (exact, about one more forward).
 */
public final class ActivationsOption {

    @Option(names = "--activations", description = "What a training forward keeps for backward: KEEP (every "
            + "activation backward needs, in float32: the fastest), KEEP_BF16 (the same, each stored in bfloat16 "
            + "between its forward and its backward: about a third less memory, a step some 5-40%% longer; with "
            + "--precision bf16 the convolutions' gradients are unchanged), RECOMPUTE (only block outputs; the "
            + "rest is recomputed during backward; about one more forward per step) or auto (KEEP, or where a "
            + "training step would not fit in memory, KEEP_BF16 with bf16 convolutions, else RECOMPUTE) "
            + "(default: ${DEFAULT-VALUE}).")
    String activations = "auto";

    /** @return whether auto was asked for (the mode then depends on the network and the memory) */
    boolean auto() {
        return "auto".equalsIgnoreCase(activations);
    }

    /**
     * @param precision what the convolutions compute in, as set by {@code --precision}
     * @param net       the network to train (its mode is set to the answer)
     * @param shape     one step's input shape
     * @param extra     bytes needed besides the pass (parameters' gradients, an optimiser's state)
     * @return the mode asked for, or auto's choice in {@link MemoryBudget#availableBytes()}
     * @throws IllegalArgumentException for an unknown name
     */
    Activations resolve(Precision precision, UNet net, long[] shape, long extra) {
        return resolve(precision, net, shape, extra, MemoryBudget.availableBytes());
    }

    /** {@link #resolve(Precision, UNet, long[], long)} with the memory available given. */
    Activations resolve(Precision precision, UNet net, long[] shape, long extra, long available) {
        Activations chosen;
        if (!auto()) {
            chosen = parse();
        } else {
            List<Activations> fastestFirst = new ArrayList<>(List.of(Activations.KEEP));
            if (precision == Precision.BF16) {
                fastestFirst.add(Activations.KEEP_BF16);
            }
            fastestFirst.add(Activations.RECOMPUTE);
            chosen = null;
            long leanest = Long.MAX_VALUE;
            for (Activations a : fastestFirst) {
                net.setActivations(a);
                long need = net.peakBytes(shape, Mode.TRAIN) + extra;
                if (need <= available) {
                    chosen = a;
                    break;
                }
                if (need < leanest) { // none fits: the leanest, so that the memory check names the least need
                    leanest = need;
                    chosen = a;
                }
            }
        }
        net.setActivations(chosen);
        return chosen;
    }

    /** @return the mode given (not auto), by its name */
    Activations given() {
        return parse();
    }

    /** @throws IllegalArgumentException if the name is not known (before anything is read or built) */
    void check() {
        if (!auto()) {
            parse();
        }
    }

    private Activations parse() {
        try {
            return Activations.valueOf(activations.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--activations " + activations + ": not known; use KEEP, KEEP_BF16, "
                    + "RECOMPUTE or auto");
        }
    }
}
