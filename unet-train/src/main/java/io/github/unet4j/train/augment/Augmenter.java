package io.github.unet4j.train.augment;

import io.github.unet4j.train.data.Sample;
import java.util.random.RandomGenerator;

/**
 * Random augmentation of training samples as configured by an {@link AugmentConfig}; the same
 * geometric transform is applied to image channels, label and weight map.
 *
 * <p>Per sample, in this order:
 * <ol>
 *   <li>horizontal flip, vertical flip, quarter turns: exact pixel moves;</li>
 *   <li>arbitrary rotation, integer shift and elastic deformation, merged into one displacement
 *       field so the image is interpolated once, not blurred by repeated resampling: output pixel
 *       {@code p} reads the input at {@code c + R (p + d(p) - c) - s}, with {@code d} the elastic
 *       field, {@code R} the rotation about the centre {@code c} and {@code s} the shift
 *       (see {@link Warp} for interpolation and mirrored borders);</li>
 *   <li>gray-value variation of the image.</li>
 * </ol>
 *
 * <p>The random draws come in a fixed order from the generator passed in, and every on/off
 * decision is drawn even for a probability of 0, so the same seed and configuration give the
 * same output, and switching one transform off does not reshuffle the others' decisions. The
 * class is immutable and thread-safe if each thread passes its own generator.
 */
public final class Augmenter {

    private final AugmentConfig config;

    /**
     * @param config the configuration
     * @throws IllegalArgumentException if {@code config} is null
     */
    public Augmenter(AugmentConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("Augmenter: config must not be null");
        }
        this.config = config;
    }

    /** @return the configuration */
    public AugmentConfig config() {
        return config;
    }

    /**
     * Augments one sample.
     *
     * @param s   the sample, not modified
     * @param rng the source of every random choice
     * @return the augmented sample; the same size unless an odd number of quarter turns swapped
     *         width and height (only for square samples, where the size is unchanged anyway)
     */
    public Sample augment(Sample s, RandomGenerator rng) {
        if (s == null || rng == null) {
            throw new IllegalArgumentException("Augmenter: sample and rng must not be null");
        }
        AugmentConfig c = config;
        boolean flipH = rng.nextDouble() < c.flipProbability();
        boolean flipV = rng.nextDouble() < c.flipProbability();
        int turns = 0;
        if (rng.nextDouble() < c.rot90Probability()) {
            int k = 1 + rng.nextInt(3);
            // Odd turns would swap width and height; keep a non-square sample's size.
            turns = s.isSquare() ? k : 2;
        }
        double degrees = 0;
        if (rng.nextDouble() < c.rotationProbability()) {
            degrees = c.maxRotationDegrees() * (2 * rng.nextDouble() - 1);
        }
        int shiftX = 0;
        int shiftY = 0;
        if (rng.nextDouble() < c.shiftProbability()) {
            shiftX = rng.nextInt(-c.maxShift(), c.maxShift() + 1);
            shiftY = rng.nextInt(-c.maxShift(), c.maxShift() + 1);
        }
        ElasticDeformation.ControlGrid grid = null;
        if (rng.nextDouble() < c.elasticProbability()) {
            grid = c.elastic().drawGrid(rng);
        }
        GrayValue.Params gray = null;
        if (rng.nextDouble() < c.grayProbability()) {
            gray = c.gray().draw(rng);
        }

        Sample out = s;
        if (flipH) {
            out = Transforms.flipHorizontal(out);
        }
        if (flipV) {
            out = Transforms.flipVertical(out);
        }
        if (turns != 0) {
            out = Transforms.rot90(out, turns);
        }
        if (degrees != 0 || shiftX != 0 || shiftY != 0 || grid != null) {
            DisplacementField elastic = grid == null ? null : grid.interpolate(out.width(), out.height());
            DisplacementField field = compose(out.width(), out.height(), elastic, degrees, shiftX, shiftY);
            out = Warp.apply(out, field, c.interpolation());
        }
        if (gray != null) {
            out = GrayValue.apply(out, gray);
        }
        return out;
    }

    /**
     * The field whose output pixel {@code p} reads {@code c + R (p + d(p) - c) - s}.
     *
     * @param w       the width
     * @param h       the height
     * @param elastic the elastic field {@code d}, or null for none
     * @param degrees the rotation angle (counter-clockwise as displayed)
     * @param shiftX  the horizontal shift (content moves right)
     * @param shiftY  the vertical shift (content moves down)
     * @return the composed field
     */
    static DisplacementField compose(int w, int h, DisplacementField elastic, double degrees, int shiftX,
            int shiftY) {
        int n = Sample.pixels(w, h);
        float[] dx = new float[n];
        float[] dy = new float[n];
        double rad = Math.toRadians(degrees);
        double cos = degrees == 0 ? 1 : Math.cos(rad);
        double sin = degrees == 0 ? 0 : Math.sin(rad);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                double u = x - cx;
                double v = y - cy;
                if (elastic != null) {
                    u += elastic.dx()[i];
                    v += elastic.dy()[i];
                }
                double sx = cx + cos * u - sin * v - shiftX;
                double sy = cy + sin * u + cos * v - shiftY;
                dx[i] = (float) (sx - x);
                dy[i] = (float) (sy - y);
            }
        }
        return new DisplacementField(dx, dy, w, h);
    }
}
