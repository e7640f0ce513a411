package io.github.unet4j.examples.cli;

import io.github.unet4j.core.ops.Accelerators;
import io.github.unet4j.core.ops.ConvAlgorithm;
import io.github.unet4j.core.ops.Precision;
import picocli.CommandLine.Option;

/**
 * {@code --precision} and {@code --conv-algorithm}: what the convolutions compute in and how, for
 * the commands that run the network.
 */
public final class PrecisionOption {

    @Option(names = "--precision", description = "What the convolutions compute in: fp32, bf16 (bfloat16 inputs, "
            + "float32 sums, weights, gradients and loss; needs a CPU with avx512_bf16) or auto (bf16 where "
            + "the CPU has it, else fp32; fp32 with --conv-algorithm winograd) "
            + "(default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--conv-algorithm", description = "How the 3x3 convolutions are computed: direct, winograd "
            + "(oneDNN's Winograd F(4x4, 3x3): fp32 only, fewer multiplications, a little more rounding and "
            + "scratch memory) or auto (winograd in fp32 where the oneDNN convolutions have it, else direct) "
            + "(default: ${DEFAULT-VALUE}).")
    String algorithm;

    private ConvAlgorithm applied = ConvAlgorithm.DIRECT;

    /**
     * @param defaultPrecision fp32, bf16 or auto when {@code --precision} is not given
     * @param defaultAlgorithm direct, winograd or auto when {@code --conv-algorithm} is not given
     */
    PrecisionOption(String defaultPrecision, String defaultAlgorithm) {
        this.precision = defaultPrecision;
        this.algorithm = defaultAlgorithm;
    }

    /**
     * Sets the process's convolution precision and algorithm.
     *
     * @return the precision set ({@link #algorithm()} then gives the algorithm)
     * @throws IllegalArgumentException for an unknown name, or a choice not available here
     */
    Precision apply() {
        Precision asked = "auto".equalsIgnoreCase(precision) ? null : parsePrecision();
        ConvAlgorithm how = "auto".equalsIgnoreCase(algorithm) ? null : parseAlgorithm();
        Accelerators.Choice choice = Accelerators.choose(asked, how);
        Precision p = choice.precision();
        try {
            Accelerators.set(new Accelerators.Choice(p, ConvAlgorithm.DIRECT)); // the precision alone first
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision " + precision + ": " + e.getMessage()
                    .replace("use precision fp32", "pass --precision fp32 or auto"));
        }
        try {
            Accelerators.set(choice);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--conv-algorithm " + algorithm + " with --precision " + p.label() + ": "
                    + e.getMessage().replace("use algorithm direct", "pass --conv-algorithm direct or auto"
                            + (p == Precision.FP32 ? "" : ", or --precision fp32")));
        }
        applied = choice.algorithm();
        return p;
    }

    /** @return the algorithm {@link #apply()} set */
    ConvAlgorithm algorithm() {
        return applied;
    }

    private Precision parsePrecision() {
        try {
            return Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision " + precision + ": not known; use fp32, bf16 or auto");
        }
    }

    private ConvAlgorithm parseAlgorithm() {
        try {
            return ConvAlgorithm.parse(algorithm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--conv-algorithm " + algorithm + ": not known; use direct, winograd or "
                    + "auto");
        }
    }
}
