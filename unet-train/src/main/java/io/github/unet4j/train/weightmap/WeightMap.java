package io.github.unet4j.train.weightmap;

import java.util.Arrays;

/**
 * The border weight map of the U-Net paper (Ronneberger, Fischer and Brox 2015, eq. 2):
 * <pre>
 *   w(x) = wc(x) + w0 * exp(-(d1(x) + d2(x))^2 / (2 sigma^2))
 * </pre>
 * where {@code d1} and {@code d2} are the distances from pixel {@code x} to the nearest and the
 * second-nearest cell. It makes the network pay for the thin background gaps that separate
 * touching cells.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Images are row-major, {@code index = y * width + x}.</li>
 *   <li>The distance from a pixel to a cell is the exact Euclidean distance between pixel
 *       centres to the nearest pixel of that cell (so a background pixel next to a cell has
 *       distance 1). In a background gap of {@code g} pixels between two cells along a row,
 *       {@code d1 + d2 = g + 1} at every gap pixel.</li>
 *   <li>The border term is applied to background pixels only (pixels in no cell), as in common
 *       implementations of the paper; cell pixels get {@code wc} alone. With fewer than two
 *       cells {@code d2} is undefined and the term is 0 everywhere.</li>
 *   <li>The term is truncated to 0 where {@code d1 + d2 > D = sigma * sqrt(2 ln(1 / c))} with
 *       {@code c =} {@link #BORDER_CUTOFF}, i.e. where it is below {@code c * w0}
 *       ({@code D} is about 26.3 pixels for {@code sigma = 5}). This lets each cell's distance
 *       transform run only in its bounding box grown by {@code ceil(D)}: any pixel within
 *       {@code D} of a cell lies in that window, and the window holds the whole cell, so every
 *       distance that reaches the formula is exact.</li>
 *   <li>With {@link ClassBalance#INVERSE_FREQUENCY} the classes are background and foreground
 *       (cell) pixels: {@code wc = N / (K * n_c)} with {@code K} the number of those classes
 *       present, so {@code wc} averages to 1. With {@link ClassBalance#NONE}, {@code wc = 1}.</li>
 * </ul>
 */
public final class WeightMap {

    /**
     * Relative level below which the border term is set to 0: it is dropped where
     * {@code exp(-(d1 + d2)^2 / (2 sigma^2)) < BORDER_CUTOFF}.
     */
    public static final double BORDER_CUTOFF = 1e-6;

    private WeightMap() {
    }

    /**
     * Weight map of a binary label image whose cells are the connected components of the
     * foreground (connectivity from the configuration). In the ISBI 2012 labels 255 is cell
     * interior and 0 membrane; for 0/1 labels pass 1. Every pixel whose value differs from
     * {@code foregroundValue} is background.
     *
     * @param labels          row-major labels, length {@code width * height}
     * @param width           image width, positive
     * @param height          image height, positive
     * @param foregroundValue the label value of cell pixels
     * @param config          weight map parameters
     * @return the weight map {@code wc + border term}, length {@code width * height}
     * @throws IllegalArgumentException on null arguments, non-positive sizes or a length mismatch
     */
    public static float[] fromBinary(int[] labels, int width, int height, int foregroundValue,
            WeightMapConfig config) {
        return partsFromBinary(labels, width, height, foregroundValue, config).weights();
    }

    /**
     * Weight map of an instance label image: 0 is background and each positive id is one cell
     * (a cell need not be connected). Instances that touch without background between them are
     * still distinct cells, so the background around their contact gets a border term.
     *
     * @param instances row-major instance ids, {@code >= 0}, length {@code width * height}
     * @param width     image width, positive
     * @param height    image height, positive
     * @param config    weight map parameters
     * @return the weight map {@code wc + border term}, length {@code width * height}
     * @throws IllegalArgumentException on null arguments, non-positive sizes, a length mismatch or a negative id
     */
    public static float[] fromInstances(int[] instances, int width, int height, WeightMapConfig config) {
        return partsFromInstances(instances, width, height, config).weights();
    }

    /**
     * Like {@link #fromBinary(int[], int, int, int, WeightMapConfig)} but returns the two terms.
     *
     * @param labels          row-major labels, length {@code width * height}
     * @param width           image width, positive
     * @param height          image height, positive
     * @param foregroundValue the label value of cell pixels
     * @param config          weight map parameters
     * @return the class-balancing map and the border term
     * @throws IllegalArgumentException on null arguments, non-positive sizes or a length mismatch
     */
    public static WeightMapParts partsFromBinary(int[] labels, int width, int height, int foregroundValue,
            WeightMapConfig config) {
        ImageChecks.notNull(labels, "labels");
        ImageChecks.notNull(config, "config");
        int n = ImageChecks.pixels("labels", labels.length, width, height);
        boolean[] foreground = new boolean[n];
        for (int i = 0; i < n; i++) {
            foreground[i] = labels[i] == foregroundValue;
        }
        int[] cellOf = new int[n];
        int cells = ConnectedComponents.labelInto(foreground, width, height, config.connectivity(), cellOf);
        return compute(cellOf, cells, width, height, config);
    }

    /**
     * Like {@link #fromInstances(int[], int, int, WeightMapConfig)} but returns the two terms.
     *
     * @param instances row-major instance ids, {@code >= 0}, length {@code width * height}
     * @param width     image width, positive
     * @param height    image height, positive
     * @param config    weight map parameters
     * @return the class-balancing map and the border term
     * @throws IllegalArgumentException on null arguments, non-positive sizes, a length mismatch or a negative id
     */
    public static WeightMapParts partsFromInstances(int[] instances, int width, int height,
            WeightMapConfig config) {
        ImageChecks.notNull(instances, "instances");
        ImageChecks.notNull(config, "config");
        int n = ImageChecks.pixels("instances", instances.length, width, height);
        // Ids may be sparse or large: map them to 1..cells through the sorted distinct ids.
        int positives = 0;
        for (int i = 0; i < n; i++) {
            if (instances[i] < 0) {
                throw new IllegalArgumentException("instances: id must be >= 0, got " + instances[i]
                        + " at (" + (i % width) + ", " + (i / width) + ")");
            }
            if (instances[i] > 0) {
                positives++;
            }
        }
        int[] ids = new int[positives];
        int k = 0;
        for (int id : instances) {
            if (id > 0) {
                ids[k++] = id;
            }
        }
        Arrays.sort(ids);
        int cells = 0;
        for (int i = 0; i < ids.length; i++) {
            if (i == 0 || ids[i] != ids[i - 1]) {
                ids[cells++] = ids[i];
            }
        }
        int[] cellOf = new int[n];
        int lastId = 0;
        int lastCell = 0;
        for (int i = 0; i < n; i++) {
            int id = instances[i];
            if (id == 0) {
                continue;
            }
            // Neighbouring pixels mostly share an id; skip the search then.
            if (id != lastId) {
                lastId = id;
                lastCell = Arrays.binarySearch(ids, 0, cells, id) + 1;
            }
            cellOf[i] = lastCell;
        }
        return compute(cellOf, cells, width, height, config);
    }

    /**
     * Weight map of a class-id label image of {@code classes} classes, 0 the background: the
     * objects are the connected components of each foreground class (two touching objects of
     * different classes stay two), the border term as for instances, and with
     * {@link ClassBalance#INVERSE_FREQUENCY} {@code wc = N / (K * n_c)} over the K classes
     * present.
     *
     * @param labels  row-major class ids in {@code 0..classes-1}, length {@code width * height}
     * @param width   image width, positive
     * @param height  image height, positive
     * @param classes the number of classes, at least 2
     * @param config  weight map parameters
     * @return the weight map {@code wc + border term}
     * @throws IllegalArgumentException on a class id out of range, or as {@link #fromInstances}
     */
    public static float[] fromClasses(int[] labels, int width, int height, int classes, WeightMapConfig config) {
        ImageChecks.notNull(labels, "labels");
        ImageChecks.notNull(config, "config");
        int n = ImageChecks.pixels("labels", labels.length, width, height);
        if (classes < 2) {
            throw new IllegalArgumentException("WeightMap.fromClasses: need at least 2 classes, got " + classes);
        }
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels: class id " + labels[i] + " at (" + (i % width) + ", "
                        + (i / width) + ") is not in 0.." + (classes - 1));
            }
            count[labels[i]]++;
        }
        int[] objects = new int[n];
        int offset = 0;
        for (int c = 1; c < classes; c++) {
            if (count[c] == 0) {
                continue;
            }
            boolean[] mask = new boolean[n];
            for (int i = 0; i < n; i++) {
                mask[i] = labels[i] == c;
            }
            int[] ids = new int[n];
            int found = ConnectedComponents.labelInto(mask, width, height, config.connectivity(), ids);
            for (int i = 0; i < n; i++) {
                if (ids[i] > 0) {
                    objects[i] = ids[i] + offset;
                }
            }
            offset += found;
        }
        WeightMapParts parts = partsFromInstances(objects, width, height, config);
        float[] w = parts.borderTerm();
        if (config.classBalance() == ClassBalance.NONE) {
            for (int i = 0; i < n; i++) {
                w[i] += 1f;
            }
            return w;
        }
        int present = 0;
        for (int k : count) {
            present += k > 0 ? 1 : 0;
        }
        for (int i = 0; i < n; i++) {
            w[i] += (float) ((double) n / ((double) present * count[labels[i]]));
        }
        return w;
    }

    /** Builds both terms from cell indices {@code 1..cells} per pixel (0 = background). */
    private static WeightMapParts compute(int[] cellOf, int cells, int width, int height, WeightMapConfig config) {
        float[] classWeights = classWeights(cellOf, config.classBalance());
        float[] border = new float[cellOf.length];
        if (cells >= 2 && config.w0() > 0) {
            borderTerm(cellOf, cells, width, height, config.w0(), config.sigma(), border);
        }
        return new WeightMapParts(width, height, cells, classWeights, border);
    }

    private static float[] classWeights(int[] cellOf, ClassBalance balance) {
        int n = cellOf.length;
        float[] wc = new float[n];
        if (balance == ClassBalance.NONE) {
            Arrays.fill(wc, 1f);
            return wc;
        }
        int foreground = 0;
        for (int c : cellOf) {
            if (c != 0) {
                foreground++;
            }
        }
        int background = n - foreground;
        int present = (foreground > 0 ? 1 : 0) + (background > 0 ? 1 : 0);
        // An absent class has no pixels, so its (undefined) weight is never used.
        float wForeground = foreground > 0 ? (float) ((double) n / ((double) present * foreground)) : 0f;
        float wBackground = background > 0 ? (float) ((double) n / ((double) present * background)) : 0f;
        for (int i = 0; i < n; i++) {
            wc[i] = cellOf[i] != 0 ? wForeground : wBackground;
        }
        return wc;
    }

    /**
     * Keeps, per background pixel, the two smallest squared distances over all cells, each
     * cell's transform computed in its bounding box grown by the cutoff distance, then applies
     * the formula where {@code d1 + d2 <= D}.
     */
    private static void borderTerm(int[] cellOf, int cells, int width, int height, double w0, double sigma,
            float[] border) {
        int n = cellOf.length;
        int[] minX = new int[cells + 1];
        int[] minY = new int[cells + 1];
        int[] maxX = new int[cells + 1];
        int[] maxY = new int[cells + 1];
        Arrays.fill(minX, Integer.MAX_VALUE);
        Arrays.fill(minY, Integer.MAX_VALUE);
        Arrays.fill(maxX, -1);
        Arrays.fill(maxY, -1);
        for (int i = 0; i < n; i++) {
            int c = cellOf[i];
            if (c != 0) {
                int x = i % width;
                int y = i / width;
                minX[c] = Math.min(minX[c], x);
                maxX[c] = Math.max(maxX[c], x);
                minY[c] = Math.min(minY[c], y);
                maxY[c] = Math.max(maxY[c], y);
            }
        }
        double cutoff = sigma * Math.sqrt(2.0 * Math.log(1.0 / BORDER_CUTOFF));
        double cutoffSquared = cutoff * cutoff;
        // Offsets are integers, so a pixel within Euclidean distance D of a cell pixel is within
        // floor(D) of it along each axis; ceil is a safe margin. Clamp keeps huge sigmas sane.
        int margin = (int) Math.min(Math.ceil(cutoff), Math.max(width, height));

        double[] d1 = new double[n];
        double[] d2 = new double[n];
        Arrays.fill(d1, Double.POSITIVE_INFINITY);
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        double[] grid = new double[0];
        EuclideanDistanceTransform.Workspace ws = null;
        for (int c = 1; c <= cells; c++) {
            int x0 = Math.max(0, minX[c] - margin);
            int y0 = Math.max(0, minY[c] - margin);
            int x1 = Math.min(width - 1, maxX[c] + margin);
            int y1 = Math.min(height - 1, maxY[c] + margin);
            int ww = x1 - x0 + 1;
            int wh = y1 - y0 + 1;
            if (grid.length < ww * wh) {
                grid = new double[ww * wh];
            }
            if (ws == null || ws.f.length < Math.max(ww, wh)) {
                ws = new EuclideanDistanceTransform.Workspace(Math.max(ww, wh));
            }
            for (int wy = 0; wy < wh; wy++) {
                int row = (y0 + wy) * width + x0;
                for (int wx = 0; wx < ww; wx++) {
                    grid[wy * ww + wx] = cellOf[row + wx] == c ? 0.0 : Double.POSITIVE_INFINITY;
                }
            }
            EuclideanDistanceTransform.transformInPlace(grid, ww, wh, ws);
            for (int wy = 0; wy < wh; wy++) {
                int row = (y0 + wy) * width + x0;
                for (int wx = 0; wx < ww; wx++) {
                    int i = row + wx;
                    double v = grid[wy * ww + wx];
                    // Only background pixels get the term; farther than D the cell cannot count.
                    if (cellOf[i] != 0 || v > cutoffSquared) {
                        continue;
                    }
                    if (v < d1[i]) {
                        d2[i] = d1[i];
                        d1[i] = v;
                    } else if (v < d2[i]) {
                        d2[i] = v;
                    }
                }
            }
        }
        double twoSigmaSquared = 2.0 * sigma * sigma;
        for (int i = 0; i < n; i++) {
            if (d2[i] == Double.POSITIVE_INFINITY) {
                continue;
            }
            double s = Math.sqrt(d1[i]) + Math.sqrt(d2[i]);
            if (s <= cutoff) {
                border[i] = (float) (w0 * Math.exp(-s * s / twoSigmaSquared));
            }
        }
    }
}
