package io.github.unet4j.train.weightmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EuclideanDistanceTransformTest {

    /** Squared distance to the nearest set pixel in the window, by trying every pair. */
    private static double[] bruteForceSquared(boolean[] set, int width, int x0, int y0, int ww, int wh) {
        double[] d = new double[ww * wh];
        for (int y = 0; y < wh; y++) {
            for (int x = 0; x < ww; x++) {
                double best = Double.POSITIVE_INFINITY;
                for (int sy = 0; sy < wh; sy++) {
                    for (int sx = 0; sx < ww; sx++) {
                        if (set[(y0 + sy) * width + x0 + sx]) {
                            double dx = x - sx;
                            double dy = y - sy;
                            best = Math.min(best, dx * dx + dy * dy);
                        }
                    }
                }
                d[y * ww + x] = best;
            }
        }
        return d;
    }

    private static boolean[] randomSet(Random random, int n, double density) {
        boolean[] set = new boolean[n];
        for (int i = 0; i < n; i++) {
            set[i] = random.nextDouble() < density;
        }
        return set;
    }

    @Test
    void matchesBruteForceOnRandomImages() {
        Random random = new Random(12345);
        double[] densities = {0.002, 0.02, 0.1, 0.5, 0.95};
        for (int trial = 0; trial < 200; trial++) {
            int width = 1 + random.nextInt(24);
            int height = 1 + random.nextInt(24);
            boolean[] set = randomSet(random, width * height, densities[trial % densities.length]);
            double[] expected = bruteForceSquared(set, width, 0, 0, width, height);
            double[] squared = EuclideanDistanceTransform.squaredDistanceToSet(set, width, height);
            double[] plain = EuclideanDistanceTransform.distanceToSet(set, width, height);
            for (int i = 0; i < expected.length; i++) {
                String where = "trial " + trial + " " + width + "x" + height + " pixel " + i;
                assertEquals(expected[i], squared[i], 1e-9, where);
                assertEquals(Math.sqrt(expected[i]), plain[i], 1e-9, where);
            }
        }
    }

    @Test
    void windowMatchesBruteForceOnTheWindowsSetPixels() {
        Random random = new Random(777);
        for (int trial = 0; trial < 100; trial++) {
            int width = 2 + random.nextInt(20);
            int height = 2 + random.nextInt(20);
            boolean[] set = randomSet(random, width * height, 0.05);
            int x0 = random.nextInt(width);
            int y0 = random.nextInt(height);
            int ww = 1 + random.nextInt(width - x0);
            int wh = 1 + random.nextInt(height - y0);
            double[] expected = bruteForceSquared(set, width, x0, y0, ww, wh);
            double[] actual = EuclideanDistanceTransform.squaredDistanceToSetInWindow(set, width, height,
                    x0, y0, ww, wh);
            assertEquals(ww * wh, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-9, "trial " + trial + " window pixel " + i);
            }
        }
    }

    @Test
    void emptySetIsInfiniteEverywhere() {
        double[] d = EuclideanDistanceTransform.distanceToSet(new boolean[7 * 5], 7, 5);
        for (double v : d) {
            assertEquals(Double.POSITIVE_INFINITY, v);
        }
    }

    @Test
    void fullSetIsZeroEverywhere() {
        boolean[] set = new boolean[6 * 9];
        java.util.Arrays.fill(set, true);
        for (double v : EuclideanDistanceTransform.distanceToSet(set, 6, 9)) {
            assertEquals(0.0, v);
        }
    }

    @Test
    void singlePixelGivesEuclideanNotChamferDistances() {
        int width = 11;
        int height = 11;
        boolean[] set = new boolean[width * height];
        set[5 * width + 5] = true;
        double[] d = EuclideanDistanceTransform.distanceToSet(set, width, height);
        assertEquals(Math.sqrt(3 * 3 + 4 * 4), d[9 * width + 8], 1e-12);
        assertEquals(5 * Math.sqrt(2), d[0], 1e-12);
    }

    @Test
    void rejectsBadShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EuclideanDistanceTransform.distanceToSet(new boolean[10], 3, 4));
        assertTrue(e.getMessage().contains("length 10") && e.getMessage().contains("12"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EuclideanDistanceTransform.distanceToSet(new boolean[0], 0, 4));
        assertTrue(e.getMessage().contains("width"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EuclideanDistanceTransform.squaredDistanceToSetInWindow(new boolean[12], 3, 4, 2, 0, 2, 4));
        assertTrue(e.getMessage().contains("window"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EuclideanDistanceTransform.distanceToSet(null, 3, 4));
        assertTrue(e.getMessage().contains("set"), e.getMessage());
    }
}
