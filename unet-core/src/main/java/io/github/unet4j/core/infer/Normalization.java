package io.github.unet4j.core.infer;

import java.util.List;
import java.util.Map;

/**
 * Gray values to network inputs: {@code (v / scale - mean) / std}, with mean and standard
 * deviation of the training images. Saved in checkpoint metadata so that prediction
 * normalises as training did; unet-core holds it so that a program that only segments does.
 *
 * @param scale divides raw values first (255 for 8-bit images)
 * @param mean  mean of the scaled training values
 * @param std   their standard deviation (&gt; 0)
 */
public record Normalization(double scale, double mean, double std) {

    /** Validates the fields. */
    public Normalization {
        if (!(scale > 0) || !Double.isFinite(mean) || !(std > 0)) {
            throw new IllegalArgumentException("Normalization: need scale > 0, finite mean and std > 0, got scale "
                    + scale + ", mean " + mean + ", std " + std);
        }
    }

    /**
     * @param images the training images' raw values, row-major
     * @param scale  what divides the raw values first (the bit depth's largest value: 255 for
     *               8-bit images)
     * @return mean and standard deviation of the scaled values
     * @throws IllegalArgumentException for no images
     */
    public static Normalization fit(List<float[]> images, double scale) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("Normalization: no images to fit");
        }
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (float[] pixels : images) {
            for (float v : pixels) {
                double x = v / scale;
                sum += x;
                sq += x * x;
                n++;
            }
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(sq / n - mean * mean, 1e-12));
        return new Normalization(scale, mean, std);
    }

    /**
     * @param raw an image's raw values, row-major
     * @return its normalised values, a new array
     */
    public float[] apply(float[] raw) {
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = (float) ((raw[i] / scale - mean) / std);
        }
        return out;
    }

    /** @return the fields as checkpoint metadata */
    public Map<String, String> toMetadata() {
        return Map.of("normalization.scale", Double.toString(scale), "normalization.mean", Double.toString(mean),
                "normalization.std", Double.toString(std));
    }

    /**
     * @param metadata checkpoint metadata written by {@link #toMetadata()}
     * @return the normalisation
     * @throws IllegalArgumentException if a field is missing
     */
    public static Normalization fromMetadata(Map<String, String> metadata) {
        String[] keys = {"normalization.scale", "normalization.mean", "normalization.std"};
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            String s = metadata.get(keys[i]);
            if (s == null) {
                throw new IllegalArgumentException("checkpoint metadata has no " + keys[i]
                        + "; it was not written by the unet trainer");
            }
            v[i] = Double.parseDouble(s);
        }
        return new Normalization(v[0], v[1], v[2]);
    }
}
