package io.github.unet4j.train.data;

import io.github.unet4j.core.infer.MirrorPad;
import java.util.Arrays;

/**
 * One training sample: an image of one or more channels, its class label per pixel and an
 * optional per-pixel loss weight map, all {@code width x height} and row-major
 * ({@code index = y * width + x}).
 *
 * <p>The arrays are held by reference, not copied, so that augmenting large tiles does not copy
 * them twice; every transform in this package returns a new sample with new arrays and never
 * writes into its input. Callers must not modify the arrays of a sample they have handed out.
 * {@link #equals(Object)} and {@link #hashCode()} compare array contents.
 *
 * @param channels the image channels, each of length {@code width * height} (at least one)
 * @param label    the class of each pixel, length {@code width * height}
 * @param weight   the loss weight of each pixel, length {@code width * height}, or {@code null}
 * @param width    the width in pixels, at least 1
 * @param height   the height in pixels, at least 1
 */
public record Sample(float[][] channels, int[] label, float[] weight, int width, int height) {

    /** Validates sizes and lengths. */
    public Sample {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("Sample: width and height must be >= 1, got " + width + "x" + height);
        }
        int n = pixels(width, height);
        if (channels == null || channels.length == 0) {
            throw new IllegalArgumentException("Sample: channels must hold at least one channel");
        }
        for (int c = 0; c < channels.length; c++) {
            if (channels[c] == null) {
                throw new IllegalArgumentException("Sample: channel " + c + " is null");
            }
            if (channels[c].length != n) {
                throw new IllegalArgumentException("Sample: channel " + c + " has length " + channels[c].length
                        + ", expected width * height = " + width + " * " + height + " = " + n);
            }
        }
        if (label == null) {
            throw new IllegalArgumentException("Sample: label must not be null");
        }
        if (label.length != n) {
            throw new IllegalArgumentException("Sample: label has length " + label.length
                    + ", expected width * height = " + width + " * " + height + " = " + n);
        }
        if (weight != null && weight.length != n) {
            throw new IllegalArgumentException("Sample: weight has length " + weight.length
                    + ", expected width * height = " + width + " * " + height + " = " + n);
        }
    }

    /**
     * A single-channel sample.
     *
     * @param image  the gray values, length {@code width * height}
     * @param label  the class of each pixel, length {@code width * height}
     * @param weight the loss weight of each pixel, or {@code null}
     * @param width  the width in pixels
     * @param height the height in pixels
     * @return the sample
     * @throws IllegalArgumentException if {@code image} is null or a length or size is wrong
     */
    public static Sample of(float[] image, int[] label, float[] weight, int width, int height) {
        if (image == null) {
            throw new IllegalArgumentException("Sample: image must not be null");
        }
        return new Sample(new float[][] {image}, label, weight, width, height);
    }

    /**
     * {@code width * height}, checked for overflow.
     *
     * @param width  the width
     * @param height the height
     * @return the number of pixels
     * @throws IllegalArgumentException if the product does not fit an {@code int}
     */
    public static int pixels(int width, int height) {
        long n = (long) width * height;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Sample: width * height = " + n + " does not fit an int");
        }
        return (int) n;
    }

    /** @return the number of image channels */
    public int channelCount() {
        return channels.length;
    }

    /**
     * The image of a single-channel sample.
     *
     * @return channel 0
     * @throws IllegalStateException if the sample has more than one channel
     */
    public float[] image() {
        if (channels.length != 1) {
            throw new IllegalStateException("Sample: image() needs a single-channel sample, this one has "
                    + channels.length + " channels; use channels()");
        }
        return channels[0];
    }

    /** @return whether the sample has a weight map */
    public boolean hasWeight() {
        return weight != null;
    }

    /** @return whether width equals height */
    public boolean isSquare() {
        return width == height;
    }

    /**
     * Pads every array of this sample (channels, label, weight map) by reflection.
     *
     * @param top    rows added above, at least 0
     * @param bottom rows added below, at least 0
     * @param left   columns added on the left, at least 0
     * @param right  columns added on the right, at least 0
     * @return the padded sample
     * @throws IllegalArgumentException if a pad is negative
     */
    public Sample mirrorPadded(int top, int bottom, int left, int right) {
        float[][] ch = new float[channelCount()][];
        for (int c = 0; c < ch.length; c++) {
            ch[c] = MirrorPad.pad(channels[c], width, height, top, bottom, left, right);
        }
        int[] l = MirrorPad.pad(label, width, height, top, bottom, left, right);
        float[] w = hasWeight() ? MirrorPad.pad(weight, width, height, top, bottom, left, right) : null;
        return new Sample(ch, l, w, width + left + right, height + top + bottom);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && width == s.width && height == s.height
                && Arrays.deepEquals(channels, s.channels) && Arrays.equals(label, s.label)
                && Arrays.equals(weight, s.weight);
    }

    @Override
    public int hashCode() {
        int h = 31 * width + height;
        h = 31 * h + Arrays.deepHashCode(channels);
        h = 31 * h + Arrays.hashCode(label);
        return 31 * h + Arrays.hashCode(weight);
    }

    @Override
    public String toString() {
        return "Sample[" + width + "x" + height + ", " + channels.length + " channel(s)"
                + (weight != null ? ", with weight map" : "") + "]";
    }
}
