package io.github.unet4j.train.augment;

import io.github.unet4j.core.infer.MirrorPad;
import io.github.unet4j.train.data.Sample;

/**
 * Applies a {@link DisplacementField} to a {@link Sample}: every output pixel pulls its value from
 * the displaced position in the input.
 *
 * <ul>
 *   <li>image channels: the chosen {@link Interpolation};</li>
 *   <li>weight map: {@link Interpolation#BILINEAR} when the image uses {@link Interpolation#BICUBIC}
 *       (cubic overshoot could make a weight negative; bilinear stays within its neighbours),
 *       otherwise the image's interpolation;</li>
 *   <li>labels: always nearest neighbour, so no class is invented at boundaries.</li>
 * </ul>
 *
 * Positions outside the image are read by mirror reflection about the edge pixels
 * ({@link MirrorPad#reflect(int, int)}), so the output has no empty borders. Integer
 * displacements reproduce input pixels exactly, so the zero field is the identity.
 */
public final class Warp {

    /**
     * Positions are clamped to this magnitude before flooring to an int; mirror reflection makes
     * anything farther a meaningless repetition anyway.
     */
    private static final double MAX_POSITION = 1 << 28;

    private Warp() {
    }

    /**
     * Applies the field.
     *
     * @param s             the sample
     * @param field         the field, of the sample's size
     * @param interpolation how image channels are read
     * @return a new sample of the same size
     * @throws IllegalArgumentException if the field's size differs from the sample's or an
     *                                  argument is null
     */
    public static Sample apply(Sample s, DisplacementField field, Interpolation interpolation) {
        if (s == null || field == null || interpolation == null) {
            throw new IllegalArgumentException("Warp: sample, field and interpolation must not be null");
        }
        if (field.width() != s.width() || field.height() != s.height()) {
            throw new IllegalArgumentException("Warp: field is " + field.width() + "x" + field.height()
                    + " but the sample is " + s.width() + "x" + s.height());
        }
        int w = s.width();
        int h = s.height();
        float[] dx = field.dx();
        float[] dy = field.dy();
        float[][] ch = new float[s.channelCount()][];
        for (int c = 0; c < ch.length; c++) {
            ch[c] = sample(s.channels()[c], w, h, dx, dy, interpolation);
        }
        float[] weight = null;
        if (s.hasWeight()) {
            Interpolation wi = interpolation == Interpolation.BICUBIC ? Interpolation.BILINEAR : interpolation;
            weight = sample(s.weight(), w, h, dx, dy, wi);
        }
        int[] label = sampleNearest(s.label(), w, h, dx, dy);
        return new Sample(ch, label, weight, w, h);
    }

    /**
     * Resamples one float image along a field.
     *
     * @param src           the image, length {@code w * h}
     * @param w             the width
     * @param h             the height
     * @param dx            horizontal displacements, length {@code w * h}
     * @param dy            vertical displacements, length {@code w * h}
     * @param interpolation how the image is read
     * @return the new image
     */
    static float[] sample(float[] src, int w, int h, float[] dx, float[] dy, Interpolation interpolation) {
        float[] out = new float[src.length];
        switch (interpolation) {
            case NEAREST -> {
                for (int y = 0, i = 0; y < h; y++) {
                    for (int x = 0; x < w; x++, i++) {
                        int sx = MirrorPad.reflect(nearest(x + (double) dx[i]), w);
                        int sy = MirrorPad.reflect(nearest(y + (double) dy[i]), h);
                        out[i] = src[sy * w + sx];
                    }
                }
            }
            case BILINEAR -> {
                for (int y = 0, i = 0; y < h; y++) {
                    for (int x = 0; x < w; x++, i++) {
                        out[i] = bilinear(src, w, h, x + (double) dx[i], y + (double) dy[i]);
                    }
                }
            }
            case BICUBIC -> {
                for (int y = 0, i = 0; y < h; y++) {
                    for (int x = 0; x < w; x++, i++) {
                        out[i] = bicubic(src, w, h, x + (double) dx[i], y + (double) dy[i]);
                    }
                }
            }
            default -> throw new IllegalStateException("Warp: unknown interpolation " + interpolation);
        }
        return out;
    }

    /** Resamples labels by nearest neighbour. */
    static int[] sampleNearest(int[] src, int w, int h, float[] dx, float[] dy) {
        int[] out = new int[src.length];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                int sx = MirrorPad.reflect(nearest(x + (double) dx[i]), w);
                int sy = MirrorPad.reflect(nearest(y + (double) dy[i]), h);
                out[i] = src[sy * w + sx];
            }
        }
        return out;
    }

    private static int nearest(double p) {
        return (int) Math.floor(clamp(p) + 0.5);
    }

    private static double clamp(double p) {
        return Math.max(-MAX_POSITION, Math.min(MAX_POSITION, p));
    }

    private static float bilinear(float[] src, int w, int h, double px, double py) {
        px = clamp(px);
        py = clamp(py);
        int x0 = (int) Math.floor(px);
        int y0 = (int) Math.floor(py);
        double fx = px - x0;
        double fy = py - y0;
        int xa = MirrorPad.reflect(x0, w);
        int xb = MirrorPad.reflect(x0 + 1, w);
        int ra = MirrorPad.reflect(y0, h) * w;
        int rb = MirrorPad.reflect(y0 + 1, h) * w;
        double top = src[ra + xa] + fx * (src[ra + xb] - src[ra + xa]);
        double bottom = src[rb + xa] + fx * (src[rb + xb] - src[rb + xa]);
        // fy == 0 keeps the exact top value (no 0 * NaN or rounding from the bottom row).
        return fy == 0 ? (float) top : (float) (top + fy * (bottom - top));
    }

    private static float bicubic(float[] src, int w, int h, double px, double py) {
        px = clamp(px);
        py = clamp(py);
        int x0 = (int) Math.floor(px);
        int y0 = (int) Math.floor(py);
        double fx = px - x0;
        double fy = py - y0;
        // Catmull-Rom weights of taps -1, 0, 1, 2; at f = 0 they are exactly 0, 1, 0, 0.
        double wx0 = ((-0.5 * fx + 1.0) * fx - 0.5) * fx;
        double wx1 = (1.5 * fx - 2.5) * fx * fx + 1.0;
        double wx2 = ((-1.5 * fx + 2.0) * fx + 0.5) * fx;
        double wx3 = (0.5 * fx - 0.5) * fx * fx;
        double wy0 = ((-0.5 * fy + 1.0) * fy - 0.5) * fy;
        double wy1 = (1.5 * fy - 2.5) * fy * fy + 1.0;
        double wy2 = ((-1.5 * fy + 2.0) * fy + 0.5) * fy;
        double wy3 = (0.5 * fy - 0.5) * fy * fy;
        if (x0 >= 1 && x0 + 2 < w && y0 >= 1 && y0 + 2 < h && fx != 0 && fy != 0) {
            // Interior, between pixels on both axes (the common case of a deformation): no
            // reflection, no branches.
            int r = (y0 - 1) * w + x0 - 1;
            double s0 = wx0 * src[r] + wx1 * src[r + 1] + wx2 * src[r + 2] + wx3 * src[r + 3];
            r += w;
            double s1 = wx0 * src[r] + wx1 * src[r + 1] + wx2 * src[r + 2] + wx3 * src[r + 3];
            r += w;
            double s2 = wx0 * src[r] + wx1 * src[r + 1] + wx2 * src[r + 2] + wx3 * src[r + 3];
            r += w;
            double s3 = wx0 * src[r] + wx1 * src[r + 1] + wx2 * src[r + 2] + wx3 * src[r + 3];
            return (float) (wy0 * s0 + wy1 * s1 + wy2 * s2 + wy3 * s3);
        }
        int c0 = MirrorPad.reflect(x0 - 1, w);
        int c1 = MirrorPad.reflect(x0, w);
        int c2 = MirrorPad.reflect(x0 + 1, w);
        int c3 = MirrorPad.reflect(x0 + 2, w);
        double sum = 0;
        for (int k = 0; k < 4; k++) {
            double wy = k == 0 ? wy0 : k == 1 ? wy1 : k == 2 ? wy2 : wy3;
            if (wy == 0) {
                continue; // exact at integer rows
            }
            int r = MirrorPad.reflect(y0 - 1 + k, h) * w;
            double row;
            if (fx == 0) {
                row = src[r + c1]; // exact at integer columns
            } else {
                row = wx0 * src[r + c0] + wx1 * src[r + c1] + wx2 * src[r + c2] + wx3 * src[r + c3];
            }
            sum += wy * row;
        }
        return (float) sum;
    }
}
