package io.github.unet4j.train.augment;

/**
 * The immutable, validated configuration of an {@link Augmenter}: which transforms run, how
 * often, and within which ranges. A probability of 0 switches a transform off.
 *
 * <p>{@link #defaults()}: the paper's elastic deformation on every sample, random flips and
 * quarter turns, no arbitrary rotation or shift, mild gray-value variation, bicubic
 * interpolation of the image.
 *
 * @param flipProbability     probability of a horizontal flip, and independently of a vertical
 *                            flip (default 0.5)
 * @param rot90Probability    probability of turning by 1, 2 or 3 quarter turns, chosen uniformly
 *                            (default 0.75, which makes all four orientations equally likely);
 *                            a non-square sample is only ever turned by 2, so its size is kept
 * @param rotationProbability probability of a rotation by an arbitrary angle (default 0)
 * @param maxRotationDegrees  the angle is uniform in {@code [-max, max]} degrees, {@code >= 0}
 *                            (default 15)
 * @param shiftProbability    probability of a shift by whole pixels (default 0)
 * @param maxShift            each shift component is uniform in {@code [-max, max]}, {@code >= 0}
 *                            (default 16)
 * @param elasticProbability  probability of an elastic deformation (default 1)
 * @param elastic             the elastic deformation's grid and sigma (default: the paper's)
 * @param grayProbability     probability of a gray-value variation (default 1)
 * @param gray                the gray-value ranges (default {@link GrayValue#mild()})
 * @param interpolation       how image channels are resampled by rotation and deformation
 *                            (default {@link Interpolation#BICUBIC}; see {@link Warp} for the
 *                            weight map and labels)
 */
public record AugmentConfig(double flipProbability, double rot90Probability, double rotationProbability,
        double maxRotationDegrees, double shiftProbability, int maxShift, double elasticProbability,
        ElasticDeformation elastic, double grayProbability, GrayValue gray, Interpolation interpolation) {

    /** Validates every field. */
    public AugmentConfig {
        checkProbability("flipProbability", flipProbability);
        checkProbability("rot90Probability", rot90Probability);
        checkProbability("rotationProbability", rotationProbability);
        checkProbability("shiftProbability", shiftProbability);
        checkProbability("elasticProbability", elasticProbability);
        checkProbability("grayProbability", grayProbability);
        if (!(maxRotationDegrees >= 0) || Double.isInfinite(maxRotationDegrees)) {
            throw new IllegalArgumentException("AugmentConfig: maxRotationDegrees must be finite and >= 0, got "
                    + maxRotationDegrees);
        }
        if (maxShift < 0) {
            throw new IllegalArgumentException("AugmentConfig: maxShift must be >= 0, got " + maxShift);
        }
        if (elastic == null || gray == null || interpolation == null) {
            throw new IllegalArgumentException("AugmentConfig: elastic, gray and interpolation must be set");
        }
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("AugmentConfig: " + name + " must be in [0, 1], got " + p);
        }
    }

    /** @return the default configuration (see the class comment) */
    public static AugmentConfig defaults() {
        return new AugmentConfig(0.5, 0.75, 0, 15, 0, 16, 1, ElasticDeformation.paper(), 1, GrayValue.mild(),
                Interpolation.BICUBIC);
    }

    /** @return a configuration with every transform off (augmenting returns the sample unchanged) */
    public static AugmentConfig none() {
        return new AugmentConfig(0, 0, 0, 15, 0, 16, 0, ElasticDeformation.paper(), 0, GrayValue.mild(),
                Interpolation.BICUBIC);
    }

    /**
     * @param v flip probability
     * @return a copy with that value
     */
    public AugmentConfig withFlipProbability(double v) {
        return new AugmentConfig(v, rot90Probability, rotationProbability, maxRotationDegrees, shiftProbability,
                maxShift, elasticProbability, elastic, grayProbability, gray, interpolation);
    }

    /**
     * @param v quarter-turn probability
     * @return a copy with that value
     */
    public AugmentConfig withRot90Probability(double v) {
        return new AugmentConfig(flipProbability, v, rotationProbability, maxRotationDegrees, shiftProbability,
                maxShift, elasticProbability, elastic, grayProbability, gray, interpolation);
    }

    /**
     * @param probability arbitrary-rotation probability
     * @param maxDegrees  largest absolute angle in degrees
     * @return a copy with those values
     */
    public AugmentConfig withRotation(double probability, double maxDegrees) {
        return new AugmentConfig(flipProbability, rot90Probability, probability, maxDegrees, shiftProbability,
                maxShift, elasticProbability, elastic, grayProbability, gray, interpolation);
    }

    /**
     * @param probability shift probability
     * @param max         largest absolute shift in pixels per axis
     * @return a copy with those values
     */
    public AugmentConfig withShift(double probability, int max) {
        return new AugmentConfig(flipProbability, rot90Probability, rotationProbability, maxRotationDegrees,
                probability, max, elasticProbability, elastic, grayProbability, gray, interpolation);
    }

    /**
     * @param probability elastic-deformation probability
     * @param deformation grid and sigma
     * @return a copy with those values
     */
    public AugmentConfig withElastic(double probability, ElasticDeformation deformation) {
        return new AugmentConfig(flipProbability, rot90Probability, rotationProbability, maxRotationDegrees,
                shiftProbability, maxShift, probability, deformation, grayProbability, gray, interpolation);
    }

    /**
     * @param probability gray-value variation probability
     * @param variation   the ranges
     * @return a copy with those values
     */
    public AugmentConfig withGray(double probability, GrayValue variation) {
        return new AugmentConfig(flipProbability, rot90Probability, rotationProbability, maxRotationDegrees,
                shiftProbability, maxShift, elasticProbability, elastic, probability, variation, interpolation);
    }

    /**
     * @param v image interpolation
     * @return a copy with that value
     */
    public AugmentConfig withInterpolation(Interpolation v) {
        return new AugmentConfig(flipProbability, rot90Probability, rotationProbability, maxRotationDegrees,
                shiftProbability, maxShift, elasticProbability, elastic, grayProbability, gray, v);
    }
}
