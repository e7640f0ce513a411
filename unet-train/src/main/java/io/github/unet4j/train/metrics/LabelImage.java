package io.github.unet4j.train.metrics;

import io.github.unet4j.train.io.GrayImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable integer label image: {@code width * height} labels in row-major order (index
 * {@code y * width + x}). Depending on use a label is a binary class (see
 * {@link MembraneLabel}), a class index 0 to K-1, or a segment id (0 = membrane).
 *
 * <p>The array is copied on the way in and out.
 *
 * @param width the width in pixels, at least 1
 * @param height the height in pixels, at least 1
 * @param labels the labels, row-major, {@code width * height} of them
 */
public record LabelImage(int width, int height, int[] labels) {

    /**
     * Validates and copies the labels.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     * @param labels the labels, row-major (copied)
     * @throws IllegalArgumentException if a size is not positive or the array length is not
     *     {@code width * height}
     */
    public LabelImage {
        Objects.requireNonNull(labels, "labels");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("label image size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height != labels.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " label image needs "
                    + ((long) width * height) + " labels, got " + labels.length);
        }
        labels = labels.clone();
    }

    /**
     * The labels of a gray image, its values rounded to the nearest integer (for label files
     * such as the ISBI 2012 0/255 membrane labels).
     *
     * @param image a gray image
     * @return the label image
     */
    public static LabelImage of(GrayImage image) {
        return new LabelImage(image.width(), image.height(), image.toIntArray());
    }

    /**
     * A binary label image from a probability or intensity map: 1 where the value is greater
     * than {@code threshold}, else 0.
     *
     * @param image for instance a cell-probability map
     * @param threshold the cut-off
     * @return labels 0 and 1
     */
    public static LabelImage threshold(GrayImage image, float threshold) {
        float[] v = image.pixels();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] > threshold ? 1 : 0;
        }
        return new LabelImage(image.width(), image.height(), out);
    }

    /** @return a copy of the labels, row-major */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** The labels without a copy, for this package's read-only loops over large images. */
    int[] array() {
        return labels;
    }

    /**
     * @param x column, 0 to {@code width - 1}
     * @param y row, 0 to {@code height - 1}
     * @return the label at (x, y)
     * @throws IndexOutOfBoundsException if (x, y) is outside the image
     */
    public int get(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ") is outside the " + width + "x" + height + " image");
        }
        return labels[y * width + x];
    }

    /** @return {@code width + "x" + height} */
    public String size() {
        return width + "x" + height;
    }

    /**
     * Checks that two images have the same size.
     *
     * @param prediction the predicted labels
     * @param truth the ground-truth labels
     * @throws IllegalArgumentException naming both sizes if they differ
     */
    static void requireSameSize(LabelImage prediction, LabelImage truth) {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(truth, "truth");
        if (prediction.width != truth.width || prediction.height != truth.height) {
            throw new IllegalArgumentException("prediction is " + prediction.size() + " but truth is "
                    + truth.size() + "; they must be the same size");
        }
    }

    /** Compares sizes and labels (a record would compare array identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof LabelImage l && l.width == width && l.height == height && Arrays.equals(l.labels, labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, Arrays.hashCode(labels));
    }

    /** @return the size only; the labels would flood a log */
    @Override
    public String toString() {
        return "LabelImage[" + size() + "]";
    }
}
