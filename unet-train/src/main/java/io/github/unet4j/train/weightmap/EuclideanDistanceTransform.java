package io.github.unet4j.train.weightmap;

/**
 * Exact Euclidean distance transform of a 2D binary set by the algorithm of Felzenszwalb and
 * Huttenlocher ("Distance Transforms of Sampled Functions", Theory of Computing, 2012): a 1D
 * transform along every column, then along every row, each computing the lower envelope of
 * parabolas in linear time.
 *
 * <p>Distances are between pixel centres on the unit grid: the value at pixel {@code (x, y)} is
 * {@code min((x - x')^2 + (y - y')^2)} over set pixels {@code (x', y')} (its square root for the
 * plain variant). It is exact, not a chamfer approximation: squared distances are integers and
 * are computed without rounding. Images are row-major, {@code index = y * width + x}.
 */
public final class EuclideanDistanceTransform {

    private EuclideanDistanceTransform() {
    }

    /**
     * Squared distance from every pixel to the nearest pixel of a set.
     *
     * @param set    {@code true} where the pixel belongs to the set, length {@code width * height}
     * @param width  image width, positive
     * @param height image height, positive
     * @return squared distances, length {@code width * height}; all {@code +infinity} if the set is empty
     * @throws IllegalArgumentException if the sizes are not positive or do not match the array
     */
    public static double[] squaredDistanceToSet(boolean[] set, int width, int height) {
        return squaredDistanceToSetInWindow(set, width, height, 0, 0, width, height);
    }

    /**
     * Distance from every pixel to the nearest pixel of a set.
     *
     * @param set    {@code true} where the pixel belongs to the set, length {@code width * height}
     * @param width  image width, positive
     * @param height image height, positive
     * @return distances, length {@code width * height}; all {@code +infinity} if the set is empty
     * @throws IllegalArgumentException if the sizes are not positive or do not match the array
     */
    public static double[] distanceToSet(boolean[] set, int width, int height) {
        double[] d = squaredDistanceToSet(set, width, height);
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.sqrt(d[i]);
        }
        return d;
    }

    /**
     * Squared distance from every pixel of a window to the nearest set pixel inside that window.
     * The cost is proportional to the window's area, not the image's. Set pixels outside the
     * window are ignored, so the result equals the whole-image transform restricted to the
     * window exactly when the window contains every set pixel (or every one that matters).
     *
     * @param set          {@code true} where the pixel belongs to the set, length {@code width * height}
     * @param width        image width, positive
     * @param height       image height, positive
     * @param x0           left column of the window, {@code >= 0}
     * @param y0           top row of the window, {@code >= 0}
     * @param windowWidth  window width, positive, with {@code x0 + windowWidth <= width}
     * @param windowHeight window height, positive, with {@code y0 + windowHeight <= height}
     * @return squared distances of the window's pixels, row-major, length {@code windowWidth * windowHeight}
     * @throws IllegalArgumentException if the sizes do not match or the window leaves the image
     */
    public static double[] squaredDistanceToSetInWindow(boolean[] set, int width, int height,
            int x0, int y0, int windowWidth, int windowHeight) {
        ImageChecks.notNull(set, "set");
        ImageChecks.pixels("set", set.length, width, height);
        int area = ImageChecks.pixels(windowWidth, windowHeight);
        if (x0 < 0 || y0 < 0 || x0 > width - windowWidth || y0 > height - windowHeight) {
            throw new IllegalArgumentException("window at (" + x0 + ", " + y0 + ") of size " + windowWidth + "x"
                    + windowHeight + " does not fit a " + width + "x" + height + " image");
        }
        double[] grid = new double[area];
        for (int wy = 0; wy < windowHeight; wy++) {
            int row = (y0 + wy) * width + x0;
            for (int wx = 0; wx < windowWidth; wx++) {
                grid[wy * windowWidth + wx] = set[row + wx] ? 0.0 : Double.POSITIVE_INFINITY;
            }
        }
        transformInPlace(grid, windowWidth, windowHeight, new Workspace(Math.max(windowWidth, windowHeight)));
        return grid;
    }

    /**
     * Replaces a sampled function on a {@code width x height} grid (0 on the set, {@code +infinity}
     * elsewhere, or any non-negative values) by its squared-distance transform
     * {@code min over q of (f(q) + |p - q|^2)}. No argument checks: callers in this package own the sizes.
     */
    static void transformInPlace(double[] grid, int width, int height, Workspace ws) {
        for (int x = 0; x < width; x++) {
            transformLine(grid, x, width, height, ws);
        }
        for (int y = 0; y < height; y++) {
            transformLine(grid, y * width, 1, width, ws);
        }
    }

    /**
     * 1D transform of the {@code n} samples {@code grid[start + q * stride]}, in place. Infinite
     * samples contribute no parabola, which keeps the arithmetic free of infinity - infinity.
     */
    private static void transformLine(double[] grid, int start, int stride, int n, Workspace ws) {
        double[] f = ws.f;
        int[] v = ws.v;
        double[] z = ws.z;
        for (int q = 0; q < n; q++) {
            f[q] = grid[start + q * stride];
        }
        // v[0..k]: the parabolas of the lower envelope; parabola v[j] is lowest on (z[j], z[j+1]].
        int k = -1;
        for (int q = 0; q < n; q++) {
            double fq = f[q];
            if (fq == Double.POSITIVE_INFINITY) {
                continue;
            }
            if (k < 0) {
                k = 0;
                v[0] = q;
                z[0] = Double.NEGATIVE_INFINITY;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            double s = intersection(f, v[k], q);
            // z[0] is -infinity, so this stops at k = 0 at the latest.
            while (s <= z[k]) {
                k--;
                s = intersection(f, v[k], q);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            for (int q = 0; q < n; q++) {
                grid[start + q * stride] = Double.POSITIVE_INFINITY;
            }
            return;
        }
        int j = 0;
        for (int q = 0; q < n; q++) {
            while (z[j + 1] < q) {
                j++;
            }
            double dq = q - v[j];
            grid[start + q * stride] = dq * dq + f[v[j]];
        }
    }

    /** Abscissa where the parabolas rooted at {@code p < q} intersect. */
    private static double intersection(double[] f, int p, int q) {
        return ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * (q - p));
    }

    /** Scratch arrays for lines of up to {@code capacity} samples, reused across lines and calls. */
    static final class Workspace {
        final double[] f;
        final int[] v;
        final double[] z;

        Workspace(int capacity) {
            f = new double[capacity];
            v = new int[capacity];
            z = new double[capacity + 1];
        }
    }
}
