package io.github.unet4j.train.data;

import io.github.unet4j.train.io.GrayImage;
import java.util.List;
import java.util.Map;

/**
 * Gray values to network inputs: {@code (v / scale - mean) / std}, with mean and standard
 * deviation of the training images. Saved in checkpoint metadata so that prediction
 * normalises as training did.
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
     * @param images training images, all of one bit depth
     * @return mean and standard deviation of their values scaled to [0, 1]
     */
    public static Normalization fit(List<GrayImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("Normalization: no images to fit");
        }
        double scale = images.get(0).depth().maxValue();
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (GrayImage g : images) {
            for (float v : g.pixels()) {
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
     * @param image an image
     * @return its normalised values, row-major
     */
    public float[] apply(GrayImage image) {
        float[] p = image.pixels();
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) ((p[i] / scale - mean) / std);
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
