package io.github.unet4j.train.weightmap;

/**
 * Immutable, validated parameters of the U-Net border weight map (Ronneberger et al. 2015, eq. 2).
 *
 * @param w0           weight of the border term, finite and {@code >= 0} (paper: 10; 0 disables the term)
 * @param sigma        width of the border term in pixels, finite and {@code > 0} (paper: about 5)
 * @param classBalance how the class-balancing map {@code wc} is built (default: inverse frequency)
 * @param connectivity which neighbours join foreground pixels into one cell of a binary image
 *                     (default: 4-connectivity, so cells touching only at a corner stay apart)
 */
public record WeightMapConfig(double w0, double sigma, ClassBalance classBalance, Connectivity connectivity) {

    /** Validates every field. */
    public WeightMapConfig {
        if (!(w0 >= 0 && w0 < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("WeightMapConfig: w0 must be finite and >= 0, got " + w0);
        }
        if (!(sigma > 0 && sigma < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("WeightMapConfig: sigma must be finite and > 0, got " + sigma);
        }
        if (classBalance == null) {
            throw new IllegalArgumentException("WeightMapConfig: classBalance must not be null");
        }
        if (connectivity == null) {
            throw new IllegalArgumentException("WeightMapConfig: connectivity must not be null");
        }
    }

    /**
     * The paper's settings with this library's defaults for the rest.
     *
     * @return {@code w0 = 10}, {@code sigma = 5}, inverse-frequency class balance, 4-connectivity
     */
    public static WeightMapConfig paper() {
        return new WeightMapConfig(10.0, 5.0, ClassBalance.INVERSE_FREQUENCY, Connectivity.FOUR);
    }

    /**
     * @param newW0 the border weight
     * @return this configuration with another {@code w0}
     */
    public WeightMapConfig withW0(double newW0) {
        return new WeightMapConfig(newW0, sigma, classBalance, connectivity);
    }

    /**
     * @param newSigma the border width in pixels
     * @return this configuration with another {@code sigma}
     */
    public WeightMapConfig withSigma(double newSigma) {
        return new WeightMapConfig(w0, newSigma, classBalance, connectivity);
    }

    /**
     * @param newClassBalance the class-balancing scheme
     * @return this configuration with another class balance
     */
    public WeightMapConfig withClassBalance(ClassBalance newClassBalance) {
        return new WeightMapConfig(w0, sigma, newClassBalance, connectivity);
    }

    /**
     * @param newConnectivity the cell connectivity for binary images
     * @return this configuration with another connectivity
     */
    public WeightMapConfig withConnectivity(Connectivity newConnectivity) {
        return new WeightMapConfig(w0, sigma, classBalance, newConnectivity);
    }
}
