package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.Upsampling;
import picocli.CommandLine.Option;

/** The network configuration as command-line options; the defaults are the paper's. */
public final class NetworkOptions {
    private static final UNetConfig PAPER = UNetConfig.paper();

    @Option(names = "--in-channels", description = "Input channels (default: ${DEFAULT-VALUE}).")
    int inChannels = PAPER.inChannels();

    @Option(names = "--classes", description = "Output classes (default: ${DEFAULT-VALUE}).")
    int classes = PAPER.classes();

    @Option(names = "--depth", description = "Levels including the bottom one (default: ${DEFAULT-VALUE}).")
    int depth = PAPER.depth();

    @Option(names = "--base-channels", description = "Channels of the first level, doubled per level "
            + "(default: ${DEFAULT-VALUE}).")
    int baseChannels = PAPER.baseChannels();

    @Option(names = "--padding", description = "VALID (paper) or SAME (default: ${DEFAULT-VALUE}).")
    Padding padding = PAPER.padding();

    @Option(names = "--batch-norm", description = "Batch norm after each 3x3 convolution (default: ${DEFAULT-VALUE}).")
    boolean batchNorm = PAPER.batchNorm();

    @Option(names = "--dropout", description = "Dropout at the end of the contracting path (default: ${DEFAULT-VALUE}).")
    double dropout = PAPER.dropout();

    @Option(names = "--upsampling", description = "TRANSPOSED (paper) or BILINEAR (default: ${DEFAULT-VALUE}).")
    Upsampling upsampling = PAPER.upsampling();

    /**
     * @return options whose defaults are a network 4x narrower than the paper's (16 base channels,
     *     about 1.9 M parameters), trainable on a CPU in minutes
     */
    public static NetworkOptions fast() {
        NetworkOptions o = new NetworkOptions();
        o.baseChannels = 16;
        return o;
    }

    /**
     * @return the validated configuration
     * @throws IllegalArgumentException naming the option of a bad value
     */
    public UNetConfig toConfig() {
        OptionChecks.atLeast("--in-channels", inChannels, 1);
        if (classes < 2) {
            throw new IllegalArgumentException("--classes " + classes + ": must be at least 2 (the network's softmax "
                    + "has a channel per class, background included)");
        }
        if (depth < 1 || depth > UNetConfig.MAX_DEPTH) {
            throw new IllegalArgumentException("--depth " + depth + ": must be 1 to " + UNetConfig.MAX_DEPTH);
        }
        OptionChecks.atLeast("--base-channels", baseChannels, 1);
        if ((long) baseChannels << (depth - 1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--base-channels " + baseChannels + ": too many for --depth " + depth
                    + " (the bottom level would have " + ((long) baseChannels << (depth - 1)) + " channels)");
        }
        OptionChecks.fraction("--dropout", dropout);
        return new UNetConfig(inChannels, classes, depth, baseChannels, padding, batchNorm, dropout, upsampling);
    }
}
