package io.github.unet4j.train.augment;

import io.github.unet4j.core.infer.MirrorPad;
import io.github.unet4j.train.data.Sample;

/**
 * Geometric transforms of a {@link Sample}, applied alike to image channels, label and weight map.
 *
 * <p>Flips, quarter turns and integer shifts only move pixels, so they are exact (no
 * interpolation) and never change a value. Arbitrary rotation resamples through {@link Warp}.
 */
public final class Transforms {

    private Transforms() {
    }

    /**
     * Mirrors left-right: output {@code (x, y)} is input {@code (width-1-x, y)}.
     *
     * @param s the sample
     * @return the flipped sample
     */
    public static Sample flipHorizontal(Sample s) {
        require(s, "flipHorizontal");
        int w = s.width();
        int h = s.height();
        int[] src = new int[w * h];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                src[i] = y * w + (w - 1 - x);
            }
        }
        return gather(s, src, w, h);
    }

    /**
     * Mirrors top-bottom: output {@code (x, y)} is input {@code (x, height-1-y)}.
     *
     * @param s the sample
     * @return the flipped sample
     */
    public static Sample flipVertical(Sample s) {
        require(s, "flipVertical");
        int w = s.width();
        int h = s.height();
        int[] src = new int[w * h];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                src[i] = (h - 1 - y) * w + x;
            }
        }
        return gather(s, src, w, h);
    }

    /**
     * Turns by {@code quarterTurns * 90} degrees counter-clockwise as displayed (y pointing down),
     * like numpy's {@code rot90}: one turn maps output {@code (x, y)} to input
     * {@code (width-1-y, x)}. An odd number of turns swaps width and height. Negative values turn
     * clockwise; only {@code quarterTurns mod 4} matters.
     *
     * @param s            the sample
     * @param quarterTurns the number of quarter turns, any integer
     * @return the turned sample
     */
    public static Sample rot90(Sample s, int quarterTurns) {
        require(s, "rot90");
        int k = Math.floorMod(quarterTurns, 4);
        int w = s.width();
        int h = s.height();
        int ow = k % 2 == 0 ? w : h;
        int oh = k % 2 == 0 ? h : w;
        int[] src = new int[w * h];
        for (int y = 0, i = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++, i++) {
                src[i] = switch (k) {
                    case 0 -> y * w + x;
                    case 1 -> x * w + (w - 1 - y);
                    case 2 -> (h - 1 - y) * w + (w - 1 - x);
                    default -> (h - 1 - x) * w + y;
                };
            }
        }
        return gather(s, src, ow, oh);
    }

    /**
     * Shifts the content by whole pixels, filling the uncovered border by mirror reflection:
     * output {@code (x, y)} is input {@code (x - dx, y - dy)}, reflected into the image.
     *
     * @param s  the sample
     * @param dx pixels to the right (negative: left)
     * @param dy pixels down (negative: up)
     * @return the shifted sample
     */
    public static Sample shift(Sample s, int dx, int dy) {
        require(s, "shift");
        int w = s.width();
        int h = s.height();
        int[] cols = new int[w];
        for (int x = 0; x < w; x++) {
            cols[x] = MirrorPad.reflect(saturate((long) x - dx), w);
        }
        int[] src = new int[w * h];
        for (int y = 0, i = 0; y < h; y++) {
            int row = MirrorPad.reflect(saturate((long) y - dy), h) * w;
            for (int x = 0; x < w; x++, i++) {
                src[i] = row + cols[x];
            }
        }
        return gather(s, src, w, h);
    }

    /**
     * Rotates about the image centre by an arbitrary angle, counter-clockwise as displayed for
     * positive angles (the sense of {@link #rot90(Sample, int)}), keeping the size. The image is
     * interpolated, the label read by nearest neighbour and the corners filled by mirror
     * reflection, as in {@link Warp}.
     *
     * @param s             the sample
     * @param degrees       the angle in degrees
     * @param interpolation how image channels are read
     * @return the rotated sample
     */
    public static Sample rotate(Sample s, double degrees, Interpolation interpolation) {
        require(s, "rotate");
        return Warp.apply(s, DisplacementField.rotation(s.width(), s.height(), degrees), interpolation);
    }

    private static int saturate(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static Sample require(Sample s, String method) {
        if (s == null) {
            throw new IllegalArgumentException("Transforms." + method + ": sample must not be null");
        }
        return s;
    }

    /** Output pixel {@code i} takes input pixel {@code src[i]} in every array of the sample. */
    static Sample gather(Sample s, int[] src, int ow, int oh) {
        float[][] ch = new float[s.channelCount()][];
        for (int c = 0; c < ch.length; c++) {
            ch[c] = gather(s.channels()[c], src);
        }
        int[] in = s.label();
        int[] label = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            label[i] = in[src[i]];
        }
        float[] weight = s.hasWeight() ? gather(s.weight(), src) : null;
        return new Sample(ch, label, weight, ow, oh);
    }

    private static float[] gather(float[] in, int[] src) {
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = in[src[i]];
        }
        return out;
    }
}
