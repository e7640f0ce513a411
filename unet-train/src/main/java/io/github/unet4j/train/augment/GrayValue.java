package io.github.unet4j.train.augment;

import io.github.unet4j.train.data.Sample;
import java.util.random.RandomGenerator;

/**
 * Random gray-value variation of the image (never of labels or weights), in three steps per
 * channel:
 * <ol>
 *   <li>gamma: with {@code lo, hi} the channel's minimum and maximum,
 *       {@code v = lo + (hi - lo) * ((v - lo) / (hi - lo))^gamma}; normalising to the channel's
 *       own range lets gamma act on images of any range and keeps that range;</li>
 *   <li>contrast about the channel mean {@code m}: {@code v = m + contrast * (v - m)};</li>
 *   <li>brightness: {@code v = v + brightness}, in the image's gray units.</li>
 * </ol>
 * One draw of {@code (gamma, contrast, brightness)} serves all channels of a sample. Gamma is drawn
 * log-uniformly from {@code [gammaMin, gammaMax]} (so {@code [0.8, 1.25]} is symmetric about 1),
 * contrast and brightness uniformly from their ranges; an empty range ({@code min == max}) is a
 * constant.
 *
 * @param gammaMin      smallest gamma, {@code > 0}
 * @param gammaMax      largest gamma, {@code >= gammaMin}
 * @param contrastMin   smallest contrast factor, {@code >= 0}
 * @param contrastMax   largest contrast factor, {@code >= contrastMin}
 * @param brightnessMin smallest added offset
 * @param brightnessMax largest added offset, {@code >= brightnessMin}
 */
public record GrayValue(double gammaMin, double gammaMax, double contrastMin, double contrastMax,
        double brightnessMin, double brightnessMax) {

    /** Validates the ranges. */
    public GrayValue {
        checkRange("gamma", gammaMin, gammaMax);
        checkRange("contrast", contrastMin, contrastMax);
        checkRange("brightness", brightnessMin, brightnessMax);
        if (!(gammaMin > 0)) {
            throw new IllegalArgumentException("GrayValue: gammaMin must be > 0, got " + gammaMin);
        }
        if (!(contrastMin >= 0)) {
            throw new IllegalArgumentException("GrayValue: contrastMin must be >= 0, got " + contrastMin);
        }
    }

    private static void checkRange(String name, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("GrayValue: " + name + " range must be finite, got ["
                    + min + ", " + max + "]");
        }
        if (min > max) {
            throw new IllegalArgumentException("GrayValue: " + name + " range is empty, min " + min + " > max " + max);
        }
    }

    /**
     * A mild variation for images scaled to about {@code [0, 1]}: gamma in {@code [0.8, 1.25]},
     * contrast in {@code [0.9, 1.1]}, brightness in {@code [-0.05, 0.05]}.
     *
     * @return the mild variation
     */
    public static GrayValue mild() {
        return new GrayValue(0.8, 1.25, 0.9, 1.1, -0.05, 0.05);
    }

    /** @return the variation that changes nothing: gamma 1, contrast 1, brightness 0 */
    public static GrayValue none() {
        return new GrayValue(1, 1, 1, 1, 0, 0);
    }

    /**
     * One drawn set of parameters.
     *
     * @param gamma      the gamma exponent, {@code > 0}
     * @param contrast   the contrast factor, {@code >= 0}
     * @param brightness the added offset
     */
    public record Params(double gamma, double contrast, double brightness) {

        /** Validates the values. */
        public Params {
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("GrayValue.Params: gamma must be finite and > 0, got " + gamma);
            }
            if (!(contrast >= 0) || Double.isInfinite(contrast)) {
                throw new IllegalArgumentException("GrayValue.Params: contrast must be finite and >= 0, got "
                        + contrast);
            }
            if (!Double.isFinite(brightness)) {
                throw new IllegalArgumentException("GrayValue.Params: brightness must be finite, got " + brightness);
            }
        }
    }

    /**
     * Draws parameters: gamma, then contrast, then brightness, one {@code nextDouble()} each.
     *
     * @param rng the source of randomness
     * @return the parameters
     */
    public Params draw(RandomGenerator rng) {
        if (rng == null) {
            throw new IllegalArgumentException("GrayValue: rng must not be null");
        }
        double lg = Math.log(gammaMin);
        double gamma = Math.exp(lg + (Math.log(gammaMax) - lg) * rng.nextDouble());
        double contrast = contrastMin + (contrastMax - contrastMin) * rng.nextDouble();
        double brightness = brightnessMin + (brightnessMax - brightnessMin) * rng.nextDouble();
        return new Params(Math.min(Math.max(gamma, gammaMin), gammaMax), contrast, brightness);
    }

    /**
     * Draws parameters and applies them to every channel; label and weight map are kept as they are.
     *
     * @param s   the sample
     * @param rng the source of randomness
     * @return the sample with new channels
     */
    public Sample apply(Sample s, RandomGenerator rng) {
        if (s == null) {
            throw new IllegalArgumentException("GrayValue: sample must not be null");
        }
        return apply(s, draw(rng));
    }

    /**
     * Applies given parameters to every channel; label and weight map are kept as they are.
     *
     * @param s the sample
     * @param p the parameters
     * @return the sample with new channels
     */
    public static Sample apply(Sample s, Params p) {
        if (s == null || p == null) {
            throw new IllegalArgumentException("GrayValue: sample and params must not be null");
        }
        float[][] ch = new float[s.channelCount()][];
        for (int c = 0; c < ch.length; c++) {
            ch[c] = apply(s.channels()[c], p);
        }
        return new Sample(ch, s.label(), s.weight(), s.width(), s.height());
    }

    /**
     * Applies given parameters to one channel (gamma, contrast, brightness; see {@link GrayValue}).
     *
     * @param channel the gray values, not modified
     * @param p       the parameters
     * @return a new array
     */
    public static float[] apply(float[] channel, Params p) {
        if (channel == null || p == null) {
            throw new IllegalArgumentException("GrayValue: channel and params must not be null");
        }
        int n = channel.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = channel[i];
        }
        if (p.gamma() != 1 && n > 0) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            double range = hi - lo;
            if (range > 0) { // a constant channel has nothing to bend
                for (int i = 0; i < n; i++) {
                    v[i] = lo + range * Math.pow((v[i] - lo) / range, p.gamma());
                }
            }
        }
        if (p.contrast() != 1 && n > 0) {
            double mean = 0;
            for (double x : v) {
                mean += x;
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                v[i] = mean + p.contrast() * (v[i] - mean);
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (v[i] + p.brightness());
        }
        return out;
    }
}
