package io.github.unet4j.core.infer;

/**
 * Mirror padding by reflection about the edge pixel, without repeating it (numpy's and
 * PyTorch's {@code 'reflect'}): the row {@code [1, 2, 3]} padded by 2 on both sides is
 * {@code [3, 2, 1, 2, 3, 2, 1]}.
 *
 * <p>Pads larger than the image reflect again and again (as numpy does; PyTorch refuses them),
 * so any pad is accepted: {@code [1, 2, 3]} padded by 5 is
 * {@code [2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2]}. A side of length 1 repeats its only pixel.
 * This is how the overlap-tile strategy gives a network with unpadded (VALID) convolutions the
 * context it needs beyond the image border.
 */
public final class MirrorPad {

    private MirrorPad() {
    }

    /**
     * Maps any index onto {@code [0, n)} by repeated reflection about the first and last index,
     * which are not repeated: for {@code n = 3}, indices {@code -2..4} map to
     * {@code 2, 1, 0, 1, 2, 1, 0}.
     *
     * @param i an index, any value
     * @param n the length, at least 1
     * @return the reflected index in {@code [0, n)}
     */
    public static int reflect(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        if (n == 1) {
            return 0;
        }
        // The reflected sequence is periodic with period 2n - 2: 0, 1, ..., n-1, n-2, ..., 1.
        int period = 2 * n - 2;
        int m = i % period;
        if (m < 0) {
            m += period;
        }
        return m < n ? m : period - m;
    }

    /**
     * Pads a float image by reflection.
     *
     * @param img    the image, row-major, length {@code w * h}
     * @param w      the width, at least 1
     * @param h      the height, at least 1
     * @param top    rows added above, at least 0
     * @param bottom rows added below, at least 0
     * @param left   columns added on the left, at least 0
     * @param right  columns added on the right, at least 0
     * @return a new image of width {@code w + left + right} and height {@code h + top + bottom}
     * @throws IllegalArgumentException if a size, pad or the length is wrong
     */
    public static float[] pad(float[] img, int w, int h, int top, int bottom, int left, int right) {
        int[] src = sources(img == null ? -1 : img.length, w, h, top, bottom, left, right);
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = img[src[i]];
        }
        return out;
    }

    /**
     * Pads a label image by reflection, exactly as {@link #pad(float[], int, int, int, int, int, int)}.
     *
     * @param img    the labels, row-major, length {@code w * h}
     * @param w      the width, at least 1
     * @param h      the height, at least 1
     * @param top    rows added above, at least 0
     * @param bottom rows added below, at least 0
     * @param left   columns added on the left, at least 0
     * @param right  columns added on the right, at least 0
     * @return a new label image of width {@code w + left + right} and height {@code h + top + bottom}
     * @throws IllegalArgumentException if a size, pad or the length is wrong
     */
    public static int[] pad(int[] img, int w, int h, int top, int bottom, int left, int right) {
        int[] src = sources(img == null ? -1 : img.length, w, h, top, bottom, left, right);
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = img[src[i]];
        }
        return out;
    }

    /** For each pixel of the padded image (row-major), the index of the source pixel it copies. */
    private static int[] sources(int length, int w, int h, int top, int bottom, int left, int right) {
        check(length, w, h, top, bottom, left, right);
        int w2 = w + left + right;
        int h2 = h + top + bottom;
        int[] src = new int[pixels(w2, h2)];
        int[] cols = sourceIndices(w2, left, w);
        for (int y = 0; y < h2; y++) {
            int row = reflect(y - top, h) * w;
            int o = y * w2;
            for (int x = 0; x < w2; x++) {
                src[o + x] = row + cols[x];
            }
        }
        return src;
    }

    private static int pixels(int w, int h) {
        long n = (long) w * h;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("MirrorPad: padded size " + w + "x" + h + " does not fit an int");
        }
        return (int) n;
    }

    private static int[] sourceIndices(int w2, int left, int w) {
        int[] cols = new int[w2];
        for (int x = 0; x < w2; x++) {
            cols[x] = reflect(x - left, w);
        }
        return cols;
    }

    private static void check(int length, int w, int h, int top, int bottom, int left, int right) {
        if (w < 1 || h < 1) {
            throw new IllegalArgumentException("MirrorPad: width and height must be >= 1, got " + w + "x" + h);
        }
        if (length < 0) {
            throw new IllegalArgumentException("MirrorPad: img must not be null");
        }
        if ((long) w * h != length) {
            throw new IllegalArgumentException("MirrorPad: img has length " + length
                    + ", expected w * h = " + w + " * " + h + " = " + (long) w * h);
        }
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("MirrorPad: pads must be >= 0, got top " + top + ", bottom " + bottom
                    + ", left " + left + ", right " + right);
        }
        if ((long) w + left + right > Integer.MAX_VALUE || (long) h + top + bottom > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("MirrorPad: padded size does not fit an int");
        }
    }
}
