package io.github.unet4j.train.weightmap;

/** How the class-balancing part {@code wc} of the weight map is chosen. */
public enum ClassBalance {
    /** {@code wc = 1} everywhere. */
    NONE,
    /**
     * {@code wc = N / (K * n_c)} for a pixel of class {@code c}, with {@code N} pixels,
     * {@code K} classes present and {@code n_c} pixels of class {@code c}: rare classes weigh
     * more and the map averages to 1.
     */
    INVERSE_FREQUENCY
}
