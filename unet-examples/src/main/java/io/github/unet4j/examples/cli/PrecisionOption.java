package io.github.unet4j.examples.cli;

import io.github.unet4j.core.ops.Accelerators;
import io.github.unet4j.core.ops.Precision;
import picocli.CommandLine.Option;

/** {@code --precision}: what the convolutions compute in, for the commands that run the network. */
public final class PrecisionOption {

    @Option(names = "--precision", description = "What the convolutions compute in: fp32, bf16 (bfloat16 inputs, "
            + "float32 sums, weights, gradients and loss; needs a CPU with avx512_bf16) or auto (bf16 where the CPU "
            + "has it, else fp32) (default: ${DEFAULT-VALUE}).")
    String precision;

    /** @param defaultPrecision fp32, bf16 or auto when the option is not given */
    PrecisionOption(String defaultPrecision) {
        this.precision = defaultPrecision;
    }

    /**
     * Sets the process's convolution precision.
     *
     * @return the precision set
     * @throws IllegalArgumentException for an unknown name, or bf16 where it is not available
     */
    Precision apply() {
        Precision p;
        if ("auto".equalsIgnoreCase(precision)) {
            p = Accelerators.fastest();
        } else {
            try {
                p = Precision.parse(precision);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--precision " + precision + ": not known; use fp32, bf16 or auto");
            }
        }
        try {
            Accelerators.setPrecision(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision " + precision + ": " + e.getMessage()
                    .replace("use precision fp32", "pass --precision fp32 or auto"));
        }
        return p;
    }
}
