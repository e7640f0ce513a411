package io.github.unet4j.train.weightmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Distances follow the library's convention: Euclidean, pixel centre to the centre of the
 * nearest pixel of the cell, so a background pixel adjacent to a cell is at distance 1.
 */
class WeightMapTest {

    private static final WeightMapConfig PAPER = WeightMapConfig.paper();

    /** Sets {@code value} on the rectangle {@code [x0, x1] x [y0, y1]}, inclusive. */
    private static void fill(int[] image, int width, int x0, int y0, int x1, int y1, int value) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                image[y * width + x] = value;
            }
        }
    }

    private static double border(double d1, double d2, WeightMapConfig config) {
        double s = d1 + d2;
        return config.w0() * Math.exp(-s * s / (2 * config.sigma() * config.sigma()));
    }

    @Test
    void gapBetweenTwoRectanglesMatchesTheFormula() {
        int width = 26;
        int height = 20;
        int[] labels = new int[width * height];
        // Cells at x in [2, 9] and [16, 23]: a gap of 6 background columns, 10..15.
        fill(labels, width, 2, 2, 9, 17, 255);
        fill(labels, width, 16, 2, 23, 17, 255);
        float[] w = WeightMap.fromBinary(labels, width, height, 255, PAPER);

        int foreground = 2 * 8 * 16;
        double wcBackground = (double) (width * height) / (2.0 * (width * height - foreground));
        double wcForeground = (double) (width * height) / (2.0 * foreground);
        // Gap pixel (12, 10): 3 columns to the left cell's x = 9, 4 to the right cell's x = 16.
        double expected = wcBackground + 10 * Math.exp(-(3.0 + 4.0) * (3.0 + 4.0) / (2 * 5.0 * 5.0));
        assertEquals(expected, w[10 * width + 12], 1e-5);
        // Every gap pixel beside the cells has d1 + d2 = gap + 1 = 7.
        for (int y = 2; y <= 17; y++) {
            for (int x = 10; x <= 15; x++) {
                assertEquals(wcBackground + border(x - 9, 16 - x, PAPER), w[y * width + x], 1e-5,
                        "(" + x + ", " + y + ")");
            }
        }
        // Outside: (0, 10) is 2 from the left cell and 16 from the right one.
        assertEquals(wcBackground + border(2, 16, PAPER), w[10 * width], 1e-5);
        // Corner (0, 0): nearest pixels (2, 2) and (16, 2).
        assertEquals(wcBackground + border(Math.sqrt(8), Math.sqrt(260), PAPER), w[0], 1e-5);
        // Cell pixels carry wc only.
        assertEquals(wcForeground, w[10 * width + 5], 1e-6);
    }

    @Test
    void singleCellHasNoBorderTerm() {
        int width = 30;
        int height = 20;
        int[] labels = new int[width * height];
        fill(labels, width, 5, 5, 12, 14, 1);
        WeightMapParts parts = WeightMap.partsFromBinary(labels, width, height, 1, PAPER);
        assertEquals(1, parts.cells());
        for (float b : parts.borderTerm()) {
            assertEquals(0f, b);
        }
        assertArrayEquals(parts.classWeights(), parts.weights());
        assertArrayEquals(parts.weights(), WeightMap.fromBinary(labels, width, height, 1, PAPER));
    }

    @Test
    void classBalanceMatchesTheFrequencies() {
        int width = 8;
        int height = 8;
        int[] labels = new int[width * height];
        fill(labels, width, 2, 2, 5, 5, 255);                 // 16 of 64 pixels: 1/4 foreground
        WeightMapConfig noBorder = PAPER.withW0(0);
        float[] wc = WeightMap.partsFromBinary(labels, width, height, 255, noBorder).classWeights();
        double sum = 0;
        for (int i = 0; i < wc.length; i++) {
            double expected = labels[i] == 255 ? 64.0 / (2 * 16) : 64.0 / (2 * 48);
            assertEquals(expected, wc[i], 1e-6, "pixel " + i);
            sum += wc[i];
        }
        assertEquals(1.0, sum / wc.length, 1e-6);

        float[] none = WeightMap.fromBinary(labels, width, height, 255, noBorder.withClassBalance(ClassBalance.NONE));
        for (float v : none) {
            assertEquals(1f, v);
        }
        // One class present: K = 1 and wc = N / N = 1.
        for (float v : WeightMap.fromBinary(new int[width * height], width, height, 255, PAPER)) {
            assertEquals(1f, v);
        }
    }

    @Test
    void touchingInstancesGetABorderTermAround() {
        int width = 16;
        int height = 14;
        int[] instances = new int[width * height];
        // Sparse, large ids: 7 at x in [4, 7], 1000 at x in [8, 11], sharing the edge between x = 7 and 8.
        fill(instances, width, 4, 4, 7, 9, 7);
        fill(instances, width, 8, 4, 11, 9, 1000);
        WeightMapParts parts = WeightMap.partsFromInstances(instances, width, height, PAPER);
        assertEquals(2, parts.cells());
        float[] b = parts.borderTerm();
        // Above the contact: (7, 3) is 1 from (7, 4) and sqrt(2) from (8, 4).
        assertEquals(border(1, Math.sqrt(2), PAPER), b[3 * width + 7], 1e-5);
        assertEquals(border(1, Math.sqrt(2), PAPER), b[3 * width + 8], 1e-5);
        // Left of instance 7: (3, 6) is 1 from it and 5 from instance 1000 at (8, 6).
        assertEquals(border(1, 5, PAPER), b[6 * width + 3], 1e-5);
        // Instance pixels are cells: no border term; 0 pixels are background with wc_bg.
        float[] wc = parts.classWeights();
        double wcBackground = (double) (width * height) / (2.0 * (width * height - 48));
        for (int i = 0; i < instances.length; i++) {
            if (instances[i] != 0) {
                assertEquals(0f, b[i], "pixel " + i);
            } else {
                assertEquals(wcBackground, wc[i], 1e-6, "pixel " + i);
                assertTrue(b[i] > 0, "background pixel " + i + " near two cells has a border term");
            }
        }
        // As a binary image the two instances merge into one component: no border term.
        int[] binary = new int[instances.length];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = instances[i] > 0 ? 255 : 0;
        }
        WeightMapParts merged = WeightMap.partsFromBinary(binary, width, height, 255, PAPER);
        assertEquals(1, merged.cells());
        assertArrayEquals(merged.classWeights(), merged.weights());
    }

    @Test
    void cornerContactSeparatesCellsOnlyWithFourConnectivity() {
        int width = 12;
        int height = 12;
        int[] labels = new int[width * height];
        fill(labels, width, 2, 2, 5, 5, 1);
        fill(labels, width, 6, 6, 9, 9, 1);
        assertEquals(2, WeightMap.partsFromBinary(labels, width, height, 1, PAPER).cells());
        assertEquals(1, WeightMap.partsFromBinary(labels, width, height, 1,
                PAPER.withConnectivity(Connectivity.EIGHT)).cells());
    }

    /** Whole-image brute force without truncation: the windowed map must agree within the cutoff. */
    @Test
    void matchesBruteForceOnRandomInstanceImages() {
        Random random = new Random(2015);
        WeightMapConfig config = PAPER.withSigma(2.0);    // cutoff D ~ 10.5 px, well inside 40 px
        for (int trial = 0; trial < 5; trial++) {
            int width = 40;
            int height = 36;
            int[] instances = new int[width * height];
            int cells = 3 + random.nextInt(6);
            for (int c = 1; c <= cells; c++) {
                int x0 = random.nextInt(width - 4);
                int y0 = random.nextInt(height - 4);
                fill(instances, width, x0, y0, x0 + 1 + random.nextInt(6), Math.min(height - 1,
                        y0 + 1 + random.nextInt(8)), c * 3);
            }
            float[] b = WeightMap.partsFromInstances(instances, width, height, config).borderTerm();
            for (int p = 0; p < instances.length; p++) {
                double expected = 0;
                if (instances[p] == 0) {
                    double[] nearest = new double[3 * cells + 1];
                    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
                    for (int q = 0; q < instances.length; q++) {
                        if (instances[q] != 0) {
                            double dx = p % width - q % width;
                            double dy = p / width - q / width;
                            nearest[instances[q]] = Math.min(nearest[instances[q]], Math.hypot(dx, dy));
                        }
                    }
                    java.util.Arrays.sort(nearest);
                    if (nearest[1] < Double.POSITIVE_INFINITY) {
                        expected = border(nearest[0], nearest[1], config);
                    }
                }
                assertEquals(expected, b[p], WeightMap.BORDER_CUTOFF * config.w0() + 1e-5,
                        "trial " + trial + " pixel " + p);
            }
        }
    }

    @Test
    void rejectsBadInputNamingTheProblem() {
        assertRejected(() -> WeightMap.fromBinary(new int[11], 3, 4, 255, PAPER), "labels", "length 11", "12");
        assertRejected(() -> WeightMap.fromInstances(new int[11], 3, 4, PAPER), "instances", "length 11");
        assertRejected(() -> WeightMap.fromBinary(new int[0], 0, 4, 255, PAPER), "width", "0");
        assertRejected(() -> WeightMap.fromInstances(new int[0], 4, -2, PAPER), "height", "-2");
        assertRejected(() -> WeightMap.fromBinary(null, 3, 4, 255, PAPER), "labels");
        assertRejected(() -> WeightMap.fromBinary(new int[12], 3, 4, 255, null), "config");
        int[] negative = new int[12];
        negative[5] = -3;
        assertRejected(() -> WeightMap.fromInstances(negative, 3, 4, PAPER), "-3", "(2, 1)");
    }

    /** About 100 blobs in a 512x512 image, membranes 2 to 4 px wide, like an ISBI label. */
    @Test
    void isbiSized512ImageWithAbout100Cells() {
        int size = 512;
        int tile = 51;
        int[] labels = new int[size * size];
        for (int ty = 0; ty < 10; ty++) {
            for (int tx = 0; tx < 10; tx++) {
                int membrane = 2 + (tx * 7 + ty * 3) % 3;
                double half = (tile - membrane) / 2.0;
                double cx = tx * tile + tile / 2.0;
                double cy = ty * tile + tile / 2.0;
                for (int y = ty * tile; y < (ty + 1) * tile; y++) {
                    for (int x = tx * tile; x < (tx + 1) * tile; x++) {
                        // Rounded squares (superellipses), so blobs are not plain rectangles.
                        double u = (x + 0.5 - cx) / half;
                        double v = (y + 0.5 - cy) / half;
                        if (u * u * u * u + v * v * v * v <= 1) {
                            labels[y * size + x] = 255;
                        }
                    }
                }
            }
        }
        WeightMap.partsFromBinary(labels, size, size, 255, PAPER);   // warm-up
        long start = System.nanoTime();
        WeightMapParts parts = WeightMap.partsFromBinary(labels, size, size, 255, PAPER);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("weight map of a 512x512 image with " + parts.cells() + " cells: " + millis + " ms");
        assertEquals(100, parts.cells());
        float[] b = parts.borderTerm();
        // Membrane pixel between the first two blobs in the first row of tiles.
        int y = tile / 2;
        int gapX = tile;
        assertTrue(b[y * size + gapX] > 5, "border term in a thin membrane: " + b[y * size + gapX]);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 255) {
                assertEquals(0f, b[i]);
            }
        }
    }

    private static void assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }
}
