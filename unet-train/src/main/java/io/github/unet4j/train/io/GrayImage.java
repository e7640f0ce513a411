package io.github.unet4j.train.io;

import io.github.unet4j.core.infer.Normalization;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable single-channel image: {@code width * height} samples in row-major order
 * (index {@code y * width + x}) holding raw values, 0 to 255 for {@link BitDepth#EIGHT},
 * 0 to 65535 for {@link BitDepth#SIXTEEN} and any finite float for {@link BitDepth#FLOAT32}.
 *
 * <p>Samples are kept as {@code float}, which holds every 8- and 16-bit value exactly. The
 * array is copied on the way in and out, so an instance can be shared freely.
 *
 * @param width the width in pixels, at least 1
 * @param height the height in pixels, at least 1
 * @param pixels the samples, row-major, {@code width * height} of them, each accepted by
 *     {@code depth} (see {@link BitDepth#accepts(float)})
 * @param depth the sample type
 */
public record GrayImage(int width, int height, float[] pixels, BitDepth depth) {

    /**
     * Validates and copies the samples.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     * @param pixels the samples, row-major (copied)
     * @param depth the sample type
     * @throws IllegalArgumentException if a size is not positive, the array length is not
     *     {@code width * height}, or a sample does not fit {@code depth}
     */
    public GrayImage {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(depth, "depth");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height != pixels.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image needs "
                    + ((long) width * height) + " pixels, got " + pixels.length);
        }
        pixels = pixels.clone();
        for (int i = 0; i < pixels.length; i++) {
            if (!depth.accepts(pixels[i])) {
                throw new IllegalArgumentException("pixel (" + (i % width) + ", " + (i / width) + ") = "
                        + pixels[i] + " does not fit bit depth " + depth
                        + (depth.isInteger() ? " (whole numbers 0.." + (int) depth.maxValue() + ")" : " (finite floats)"));
            }
        }
    }

    /**
     * An image of whole-number samples, such as a label image.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     * @param values row-major samples
     * @param depth {@link BitDepth#EIGHT} or {@link BitDepth#SIXTEEN} (or FLOAT32)
     * @return the image
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static GrayImage ofInts(int width, int height, int[] values, BitDepth depth) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = values[i];
        }
        return new GrayImage(width, height, f, depth);
    }

    /** @return a copy of the samples, row-major */
    @Override
    public float[] pixels() {
        return pixels.clone();
    }

    /** @return the samples and this depth's full scale, as {@link Normalization} takes them */
    public Normalization.Image forNormalization() {
        return new Normalization.Image(pixels, depth.fullScale());
    }

    /**
     * @param x column, 0 to {@code width - 1}
     * @param y row, 0 to {@code height - 1}
     * @return the sample at (x, y)
     * @throws IndexOutOfBoundsException if (x, y) is outside the image
     */
    public float get(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ") is outside the " + width + "x" + height + " image");
        }
        return pixels[y * width + x];
    }

    /**
     * The samples rounded to the nearest integer, for label images and class maps.
     *
     * @return a new row-major array
     */
    public int[] toIntArray() {
        int[] out = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = Math.round(pixels[i]);
        }
        return out;
    }

    /** Compares sizes, depth and sample contents (a record would compare array identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage g && g.width == width && g.height == height && g.depth == depth
                && Arrays.equals(g.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, depth, Arrays.hashCode(pixels));
    }

    /** @return size and depth only; the samples would flood a log */
    @Override
    public String toString() {
        return "GrayImage[" + width + "x" + height + ", " + depth + "]";
    }
}
