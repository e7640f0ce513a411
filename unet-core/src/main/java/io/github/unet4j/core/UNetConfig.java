package io.github.unet4j.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The immutable, validated configuration of a {@link UNet}.
 *
 * <p>{@link #paper()} is the network of Ronneberger et al. (2015): 1 input channel, 2 classes,
 * 5 levels with 64, 128, 256, 512, 1024 channels, unpadded 3x3 convolutions, no batch norm,
 * dropout 0.5 at the end of the contracting path, 2x2 up-convolutions: 23 convolution layers,
 * 31,030,658 parameters, a 572x572 tile in and 388x388 out.
 *
 * <h2>Size rules</h2>
 * With {@link Padding#VALID} each level's double convolution takes 4 pixels off H and W, each
 * pooling halves them (the size must be even before it) and each up-sampling doubles them;
 * {@link #outputSize(int)} walks that path (paper: 572, 568, 284, 280, 140, 136, 68, 64, 32,
 * 28, 56, 52, 104, 100, 200, 196, 392, 388). With {@link Padding#SAME} the input must be
 * divisible by {@code 2^(depth-1)} and the output has the input's size. H and W are independent.
 *
 * @param inChannels   input channels (paper: 1)
 * @param classes      output classes (paper: 2)
 * @param depth        levels including the bottom one (paper: 5, i.e. 4 poolings)
 * @param baseChannels channels of the first level, doubled per level (paper: 64)
 * @param padding      VALID (paper) or SAME
 * @param batchNorm    batch norm after each 3x3 convolution (paper: no)
 * @param dropout      dropout probability at the end of the contracting path (paper: 0.5; 0 = none)
 * @param upsampling   TRANSPOSED (paper) or BILINEAR
 */
public record UNetConfig(int inChannels, int classes, int depth, int baseChannels, Padding padding,
        boolean batchNorm, double dropout, Upsampling upsampling) {

    /** Largest depth accepted; 2^(depth-1) must stay a sensible pooling factor. */
    public static final int MAX_DEPTH = 8;

    /** Validates every field. */
    public UNetConfig {
        if (inChannels < 1) {
            throw new IllegalArgumentException("UNetConfig: inChannels must be >= 1, got " + inChannels);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("UNetConfig: classes must be >= 1, got " + classes);
        }
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("UNetConfig: depth must be in 1.." + MAX_DEPTH + ", got " + depth);
        }
        if (baseChannels < 1 || (long) baseChannels << (depth - 1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("UNetConfig: baseChannels must be >= 1 and baseChannels * 2^(depth-1)"
                    + " must fit an int, got " + baseChannels + " at depth " + depth);
        }
        if (padding == null || upsampling == null) {
            throw new IllegalArgumentException("UNetConfig: padding and upsampling must be set");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("UNetConfig: dropout must be in [0, 1), got " + dropout);
        }
    }

    /** @return the paper's configuration */
    public static UNetConfig paper() {
        return new UNetConfig(1, 2, 5, 64, Padding.VALID, false, 0.5, Upsampling.TRANSPOSED);
    }

    /** @param v input channels @return a copy with that value */
    public UNetConfig withInChannels(int v) {
        return new UNetConfig(v, classes, depth, baseChannels, padding, batchNorm, dropout, upsampling);
    }

    /** @param v classes @return a copy with that value */
    public UNetConfig withClasses(int v) {
        return new UNetConfig(inChannels, v, depth, baseChannels, padding, batchNorm, dropout, upsampling);
    }

    /** @param v depth @return a copy with that value */
    public UNetConfig withDepth(int v) {
        return new UNetConfig(inChannels, classes, v, baseChannels, padding, batchNorm, dropout, upsampling);
    }

    /** @param v base channels @return a copy with that value */
    public UNetConfig withBaseChannels(int v) {
        return new UNetConfig(inChannels, classes, depth, v, padding, batchNorm, dropout, upsampling);
    }

    /** @param v padding @return a copy with that value */
    public UNetConfig withPadding(Padding v) {
        return new UNetConfig(inChannels, classes, depth, baseChannels, v, batchNorm, dropout, upsampling);
    }

    /** @param v batch norm on or off @return a copy with that value */
    public UNetConfig withBatchNorm(boolean v) {
        return new UNetConfig(inChannels, classes, depth, baseChannels, padding, v, dropout, upsampling);
    }

    /** @param v dropout probability @return a copy with that value */
    public UNetConfig withDropout(double v) {
        return new UNetConfig(inChannels, classes, depth, baseChannels, padding, batchNorm, v, upsampling);
    }

    /** @param v up-sampling mode @return a copy with that value */
    public UNetConfig withUpsampling(Upsampling v) {
        return new UNetConfig(inChannels, classes, depth, baseChannels, padding, batchNorm, dropout, v);
    }

    /** @return channels per level, {@code base * 2^level}: the paper's [64, 128, 256, 512, 1024] */
    public int[] channels() {
        int[] c = new int[depth];
        for (int i = 0; i < depth; i++) {
            c[i] = baseChannels << i;
        }
        return c;
    }

    /** @return the number of convolution layers (3x3, up-convolutions and the 1x1): 23 for the paper */
    public int convolutionLayers() {
        int threeByThree = 2 * depth + 2 * (depth - 1);
        int upConvs = upsampling == Upsampling.TRANSPOSED ? depth - 1 : 0;
        return threeByThree + upConvs + 1;
    }

    /**
     * @return valid input sizes are {@code validInputSizeAtLeast(1) + k * inputSizeStep()}:
     *         {@code 2^(depth-1)} with either padding (16 for the paper: 188, 204, ..., 572)
     */
    public int inputSizeStep() {
        return 1 << (depth - 1);
    }

    /**
     * @return how much smaller the output is than the input along each axis, the same at every
     *         valid size: 184 for the paper's network (572 to 388), 0 with SAME padding
     */
    public int outputShrink() {
        int min = validInputSizeAtLeast(1);
        return min - outputSize(min);
    }

    /**
     * Where overlap-tile output windows may start for the maps not to depend on the tile size:
     * a VALID network's poolings see a grid of {@code 2^(depth-1)} pixels, and a tile whose
     * window starts off that grid computes its pixels on a shifted grid, a different result
     * (not rounding). SAME networks depend on the tile borders anyway: 1.
     *
     * @return {@code 2^(depth-1)} for VALID padding, 1 for SAME
     */
    public int outputAlignment() {
        return padding == Padding.VALID ? 1 << (depth - 1) : 1;
    }

    /**
     * @param outputTile a tile's output size
     * @return how far apart overlap-tile output windows start: the output size rounded down to
     *         {@link #outputAlignment()} (the windows then overlap by the remainder), or the
     *         output size where it is smaller than the alignment
     */
    public int tileStride(int outputTile) {
        int a = outputAlignment();
        return outputTile >= a ? outputTile - outputTile % a : outputTile;
    }

    /**
     * The output size along one axis, or -1 if the input size is not valid.
     *
     * @param inputSize H or W of the input
     * @return H or W of the output, or -1
     */
    public int outputSizeOrInvalid(int inputSize) {
        if (inputSize < 1) {
            return -1;
        }
        if (padding == Padding.SAME) {
            return inputSize % (1 << (depth - 1)) == 0 ? inputSize : -1;
        }
        long s = inputSize;
        for (int level = 0; level < depth - 1; level++) {
            s -= 4;
            if (s < 2 || s % 2 != 0) {
                return -1;
            }
            s /= 2;
        }
        s -= 4;
        if (s < 1) {
            return -1;
        }
        for (int level = 0; level < depth - 1; level++) {
            s = 2 * s - 4;
        }
        return s >= 1 ? (int) s : -1;
    }

    /**
     * @param inputSize H or W of the input
     * @return whether the network accepts it
     */
    public boolean isValidInputSize(int inputSize) {
        return outputSizeOrInvalid(inputSize) > 0;
    }

    /**
     * The output size along one axis.
     *
     * @param inputSize H or W of the input
     * @return H or W of the output (388 for 572 in the paper's network)
     * @throws ShapeException if the size is invalid, naming the nearest valid sizes
     */
    public int outputSize(int inputSize) {
        int out = outputSizeOrInvalid(inputSize);
        if (out < 0) {
            throw new ShapeException("UNet: input size " + inputSize + " is not valid for this configuration ("
                    + sizeRule() + "); " + nearestValidHint(inputSize));
        }
        return out;
    }

    /**
     * @param from smallest size to consider
     * @param to   largest size to consider
     * @return the valid input sizes in [from, to], ascending
     */
    public List<Integer> validInputSizes(int from, int to) {
        List<Integer> sizes = new ArrayList<>();
        for (int s = Math.max(1, from); s <= to; s++) {
            if (isValidInputSize(s)) {
                sizes.add(s);
            }
        }
        return sizes;
    }

    /**
     * @param size a size
     * @return the largest valid input size &lt;= size, or -1 if there is none
     */
    public int validInputSizeAtMost(int size) {
        for (int s = size; s >= 1; s--) {
            if (isValidInputSize(s)) {
                return s;
            }
        }
        return -1;
    }

    /**
     * @param size a size
     * @return the smallest valid input size &gt;= size, or -1 if there is none up to
     *         {@code Integer.MAX_VALUE}
     */
    public int validInputSizeAtLeast(int size) {
        // long: an int counter would wrap past Integer.MAX_VALUE and "find" a small size
        for (long s = Math.max(size, 1); s <= Integer.MAX_VALUE; s++) {
            if (isValidInputSize((int) s)) {
                return (int) s;
            }
        }
        return -1;
    }

    /**
     * The smallest valid input whose output covers at least {@code outputSize} pixels; used to
     * pick tiles.
     *
     * @param outputSize wanted output size along one axis
     * @return the smallest valid input size with at least that output
     */
    public int inputSizeForOutput(int outputSize) {
        for (int s = validInputSizeAtLeast(1);; s = validInputSizeAtLeast(s + 1)) {
            if (outputSizeOrInvalid(s) >= outputSize) {
                return s;
            }
        }
    }

    /**
     * @param size an input size
     * @return e.g. {@code "nearest valid sizes: 556 (output 372) below and 572 (output 388) above"}
     */
    public String nearestValidHint(int size) {
        int below = validInputSizeAtMost(size);
        int above = validInputSizeAtLeast(size);
        return "nearest valid sizes: " + (below > 0 ? below + " (output " + outputSizeOrInvalid(below) + ")" : "none")
                + " below and " + (above > 0 ? above + " (output " + outputSizeOrInvalid(above) + ")" : "none")
                + " above";
    }

    /**
     * @return the size rule in words, e.g. {@code "VALID padding needs an even size before each of
     *         the 4 poolings"}
     */
    public String sizeRule() {
        return padding == Padding.SAME
                ? "SAME padding needs a multiple of 2^(depth-1) = " + (1 << (depth - 1))
                : "VALID padding needs an even size before each of the " + (depth - 1) + " poolings";
    }
}
