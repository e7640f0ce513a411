package io.github.unet4j.core.infer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gray values to network inputs. Each image's raw values are first divided by its own full
 * scale, the largest value of its sample type (255 for 8-bit, 65535 for 16-bit, 1 for float
 * images), so that an 8-bit slice and the same slice stored as 16 bits (x 257) give the same
 * input; then {@code (v - mean) / std}, with mean and standard deviation of the scaled training
 * images. An image whose scaled values lie far outside the range the training images spanned
 * ({@link #checkRange}) is refused rather than silently mis-scaled: a model trained on 16-bit
 * images that use a tenth of their range, given an 8-bit image, would otherwise see ten times
 * its training intensities.
 *
 * <p>Saved in checkpoint metadata so that prediction normalises as training did; unet-core holds
 * it so that a program that only segments does.
 *
 * @param mean mean of the scaled training values
 * @param std  their standard deviation (&gt; 0)
 * @param low  the smallest scaled training value
 * @param high the largest scaled training value (&gt;= low)
 */
public record Normalization(double mean, double std, double low, double high) {

    /** An image's raw values and its full scale: 255, 65535, or 1 for float images. */
    public record Image(float[] raw, double fullScale) {
        /** Validates the scale. */
        public Image {
            if (!(fullScale > 0) || Double.isInfinite(fullScale)) {
                throw new IllegalArgumentException("Normalization.Image: full scale must be finite and > 0, got "
                        + fullScale);
            }
        }
    }

    private static final String PREFIX = "normalization.";

    /** Validates the fields. */
    public Normalization {
        if (!Double.isFinite(mean) || !(std > 0) || Double.isInfinite(std) || !Double.isFinite(low)
                || !Double.isFinite(high) || low > high) {
            throw new IllegalArgumentException("Normalization: need a finite mean, finite std > 0 and a finite "
                    + "range low <= high, got mean " + mean + ", std " + std + ", range " + low + ".." + high);
        }
    }

    /**
     * @param images the training images
     * @return mean, standard deviation and range of their scaled values
     * @throws IllegalArgumentException for no images or no pixels
     */
    public static Normalization fit(List<Image> images) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Image image : images) {
            for (float v : image.raw()) {
                double x = v / image.fullScale();
                sum += x;
                sq += x * x;
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("Normalization: no images (or no pixels) to fit");
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(sq / n - mean * mean, 1e-12));
        return new Normalization(mean, std, lo, hi);
    }

    /**
     * @param image an image
     * @return its normalised values, a new array
     * @throws IllegalArgumentException if its scaled values do not fit the training range ({@link #checkRange})
     */
    public float[] apply(Image image) {
        checkRange(image);
        float[] raw = image.raw();
        double scale = image.fullScale();
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = (float) ((raw[i] / scale - mean) / std);
        }
        return out;
    }

    /**
     * Refuses an image whose scaled values reach further beyond the training range than that
     * range is wide (on either side; at least 0.05 of full scale): a dimmer or brighter image of
     * the same kind passes, one of another kind or scale does not.
     *
     * @param image an image
     * @throws IllegalArgumentException naming both ranges and what to do
     */
    public void checkRange(Image image) {
        float[] raw = image.raw();
        if (raw.length == 0) {
            return;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : raw) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        lo /= image.fullScale();
        hi /= image.fullScale();
        double slack = Math.max(high - low, 0.05);
        if (!(lo >= low - slack && hi <= high + slack)) {
            throw new IllegalArgumentException(String.format("values divided by the image's full scale (%s) span "
                    + "%s..%s, but the model was trained on %s..%s; give images of the training data's kind and "
                    + "bit depth, rescale this one, or train on images like it", fmt(image.fullScale()), fmt(lo),
                    fmt(hi), fmt(low), fmt(high)));
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format("%.4g", v);
    }

    /** @return the fields as checkpoint metadata */
    public Map<String, String> toMetadata() {
        return toMetadata(PREFIX);
    }

    /** @param prefix the keys' prefix, ending in a dot @return the fields as metadata under that prefix */
    Map<String, String> toMetadata(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(prefix + "scaling", "full-scale");
        m.put(prefix + "mean", Double.toString(mean));
        m.put(prefix + "std", Double.toString(std));
        m.put(prefix + "low", Double.toString(low));
        m.put(prefix + "high", Double.toString(high));
        return m;
    }

    /**
     * Reads {@link #toMetadata()}'s fields, or a checkpoint written before the range was stored
     * ({@code normalization.scale}, the training images' full scale): those were scaled the same
     * way (every training image then had the first one's depth), and their range is taken as
     * 0..1.
     *
     * @param metadata checkpoint metadata
     * @return the normalisation
     * @throws IllegalArgumentException if a field is missing or not a number
     */
    public static Normalization fromMetadata(Map<String, String> metadata) {
        return fromMetadata(metadata, PREFIX);
    }

    /** @param metadata metadata @param prefix the keys' prefix @return the fields under that prefix */
    static Normalization fromMetadata(Map<String, String> metadata, String prefix) {
        double mean = number(metadata, prefix, "mean");
        double std = number(metadata, prefix, "std");
        if (!metadata.containsKey(prefix + "scaling") && metadata.containsKey(prefix + "scale")) {
            return new Normalization(mean, std, 0, 1);
        }
        return new Normalization(mean, std, number(metadata, prefix, "low"), number(metadata, prefix, "high"));
    }

    private static double number(Map<String, String> metadata, String prefix, String field) {
        String s = metadata.get(prefix + field);
        if (s == null) {
            throw new IllegalArgumentException("checkpoint metadata has no " + prefix + field
                    + "; it was not written by the unet trainer");
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint metadata " + prefix + field + " = '" + s
                    + "' is not a number");
        }
    }
}
