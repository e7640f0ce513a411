package io.github.unet4j.train.weightmap;

import java.util.Arrays;

/**
 * A border weight map split into its two terms, {@code w = wc + border}. Immutable: arrays are
 * copied on the way in and out.
 *
 * @param width        image width
 * @param height       image height
 * @param cells        number of cells found (components or instances)
 * @param classWeights the class-balancing map {@code wc}, row-major, length {@code width * height}
 * @param borderTerm   {@code w0 * exp(-(d1 + d2)^2 / (2 sigma^2))}, row-major, length {@code width * height};
 *                     0 on cell pixels and where fewer than 2 cells exist
 */
public record WeightMapParts(int width, int height, int cells, float[] classWeights, float[] borderTerm) {

    /** Validates the sizes and copies the arrays. */
    public WeightMapParts {
        ImageChecks.notNull(classWeights, "classWeights");
        ImageChecks.notNull(borderTerm, "borderTerm");
        ImageChecks.pixels("classWeights", classWeights.length, width, height);
        ImageChecks.pixels("borderTerm", borderTerm.length, width, height);
        if (cells < 0) {
            throw new IllegalArgumentException("cells must be >= 0, got " + cells);
        }
        classWeights = classWeights.clone();
        borderTerm = borderTerm.clone();
    }

    /** @return a copy of the class-balancing map {@code wc} */
    @Override
    public float[] classWeights() {
        return classWeights.clone();
    }

    /** @return a copy of the border term */
    @Override
    public float[] borderTerm() {
        return borderTerm.clone();
    }

    /** @return the weight map {@code wc + border}, a new array */
    public float[] weights() {
        float[] w = new float[classWeights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = classWeights[i] + borderTerm[i];
        }
        return w;
    }

    /** Compares the maps by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WeightMapParts p && width == p.width && height == p.height && cells == p.cells
                && Arrays.equals(classWeights, p.classWeights) && Arrays.equals(borderTerm, p.borderTerm);
    }

    @Override
    public int hashCode() {
        int h = 31 * (31 * width + height) + cells;
        return 31 * (31 * h + Arrays.hashCode(classWeights)) + Arrays.hashCode(borderTerm);
    }

    @Override
    public String toString() {
        return "WeightMapParts[" + width + "x" + height + ", cells=" + cells + "]";
    }
}
