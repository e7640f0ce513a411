package io.github.unet4j.train.weightmap;

import java.util.Arrays;

/**
 * The connected components of a binary image: a label per pixel, 0 for background and
 * {@code 1..count} for the components, numbered in the raster order of their first pixel.
 * Immutable: the array is copied on the way in and out.
 *
 * @param width  image width
 * @param height image height
 * @param labels row-major labels, length {@code width * height}
 * @param count  number of components; every label is in {@code 0..count}
 */
public record Components(int width, int height, int[] labels, int count) {

    /** Validates the sizes and the label range, and copies the labels. */
    public Components {
        ImageChecks.notNull(labels, "labels");
        ImageChecks.pixels("labels", labels.length, width, height);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > count) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i
                        + " is outside 0.." + count);
            }
        }
    }

    /** @return a copy of the row-major labels */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /**
     * @param x column, {@code 0 <= x < width}
     * @param y row, {@code 0 <= y < height}
     * @return the label of pixel {@code (x, y)}
     */
    public int labelAt(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IllegalArgumentException("pixel (" + x + ", " + y + ") is outside the " + width + "x"
                    + height + " image");
        }
        return labels[y * width + x];
    }

    /** Compares the labels by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Components c && width == c.width && height == c.height && count == c.count
                && Arrays.equals(labels, c.labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * width + height) + count) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "Components[" + width + "x" + height + ", count=" + count + "]";
    }
}
