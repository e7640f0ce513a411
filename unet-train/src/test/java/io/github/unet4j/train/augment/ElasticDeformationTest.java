package io.github.unet4j.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.data.Sample;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ElasticDeformationTest {

    private static RandomGenerator rng(long seed) {
        return new SplittableRandom(seed);
    }

    /** Two channels, labels in {0, 3, 7} (a blend would invent others), weights in [1, 2]. */
    private static Sample sample(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = w * h;
        float[] a = new float[n];
        float[] b = new float[n];
        int[] label = new int[n];
        float[] weight = new float[n];
        int[] classes = {0, 3, 7};
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble();
            b[i] = (float) r.nextGaussian();
            label[i] = classes[r.nextInt(3)];
            weight[i] = (float) (1 + r.nextDouble());
        }
        return new Sample(new float[][] {a, b}, label, weight, w, h);
    }

    @Test
    void sigmaZeroIsTheExactIdentity() {
        Sample s = sample(37, 23, 1);
        ElasticDeformation none = new ElasticDeformation(3, 0);
        for (Interpolation in : Interpolation.values()) {
            Sample out = none.apply(s, rng(7), in);
            assertArrayEquals(s.channels()[0], out.channels()[0], in.toString());
            assertArrayEquals(s.channels()[1], out.channels()[1], in.toString());
            assertArrayEquals(s.label(), out.label(), in.toString());
            assertArrayEquals(s.weight(), out.weight(), in.toString());
        }
    }

    @Test
    void nearestNeighbourLabelsInventNoClass() {
        Sample s = sample(64, 48, 2);
        Set<Integer> in = labels(s.label());
        for (long seed = 0; seed < 5; seed++) {
            Sample out = ElasticDeformation.paper().apply(s, rng(seed), Interpolation.BICUBIC);
            assertTrue(in.containsAll(labels(out.label())), "labels " + labels(out.label()) + " not within " + in);
            assertFalse(Arrays.equals(s.label(), out.label()), "sigma 10 moved something");
            for (float v : out.weight()) {
                assertTrue(v >= 1 && v <= 2, "bilinear weight stays within its neighbours, got " + v);
            }
        }
    }

    private static Set<Integer> labels(int[] a) {
        Set<Integer> s = new HashSet<>();
        for (int v : a) {
            s.add(v);
        }
        return s;
    }

    @Test
    void fieldPassesThroughTheGridNodes() {
        // 101 x 61 pixels with a 3x3 grid: nodes at x = 0, 50, 100 and y = 0, 30, 60.
        // 5 x 5 grid over 81 x 41: nodes at x = 0, 20, ..., 80 and y = 0, 10, ..., 40.
        int[][] cases = {{3, 101, 61}, {5, 81, 41}, {2, 10, 19}};
        for (int[] c : cases) {
            int g = c[0];
            int w = c[1];
            int h = c[2];
            ElasticDeformation.ControlGrid grid = new ElasticDeformation(g, 10).drawGrid(rng(g));
            DisplacementField f = grid.interpolate(w, h);
            for (int j = 0; j < g; j++) {
                for (int i = 0; i < g; i++) {
                    int x = i * (w - 1) / (g - 1);
                    int y = j * (h - 1) / (g - 1);
                    assertEquals(grid.dx()[j * g + i], f.dx()[y * w + x], 1e-5f, "dx at node " + i + "," + j);
                    assertEquals(grid.dy()[j * g + i], f.dy()[y * w + x], 1e-5f, "dy at node " + i + "," + j);
                }
            }
        }
    }

    @Test
    void constantAndLinearGridsGiveConstantAndLinearFields() {
        // A natural spline reproduces linear data exactly, so a grid that is a linear function of
        // its node positions must give the same linear function at every pixel.
        int g = 3;
        int w = 41;
        int h = 21;
        float[] dx = new float[g * g];
        float[] dy = new float[g * g];
        for (int j = 0; j < g; j++) {
            for (int i = 0; i < g; i++) {
                dx[j * g + i] = 2.5f;
                dy[j * g + i] = 4f * i - 3f * j;
            }
        }
        DisplacementField f = new ElasticDeformation.ControlGrid(g, dx, dy).interpolate(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(2.5f, f.dx()[y * w + x], 1e-5f);
                double expected = 4.0 * x * (g - 1) / (w - 1) - 3.0 * y * (g - 1) / (h - 1);
                assertEquals(expected, f.dy()[y * w + x], 1e-5, "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void fieldIsSmoothAndHasTheRightScale() {
        int w = 128;
        int h = 128;
        double sumSq = 0;
        double nodeSumSq = 0;
        int draws = 200;
        double maxStep = 0;
        for (int d = 0; d < draws; d++) {
            ElasticDeformation.ControlGrid grid = ElasticDeformation.paper().drawGrid(rng(1000 + d));
            for (int i = 0; i < 9; i++) {
                nodeSumSq += grid.dx()[i] * grid.dx()[i] + grid.dy()[i] * grid.dy()[i];
            }
            DisplacementField f = grid.interpolate(w, h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    sumSq += f.dx()[i] * f.dx()[i] + f.dy()[i] * f.dy()[i];
                    if (x + 1 < w) {
                        maxStep = Math.max(maxStep, Math.abs(f.dx()[i + 1] - f.dx()[i]));
                        maxStep = Math.max(maxStep, Math.abs(f.dy()[i + 1] - f.dy()[i]));
                    }
                    if (y + 1 < h) {
                        maxStep = Math.max(maxStep, Math.abs(f.dx()[i + w] - f.dx()[i]));
                        maxStep = Math.max(maxStep, Math.abs(f.dy()[i + w] - f.dy()[i]));
                    }
                }
            }
        }
        double nodeRms = Math.sqrt(nodeSumSq / (draws * 9 * 2));
        double pixelRms = Math.sqrt(sumSq / ((double) draws * w * h * 2));
        assertEquals(10, nodeRms, 0.6, "node displacements have sigma 10");
        // Between nodes the spline averages neighbours, so the pixel RMS is somewhat below sigma.
        assertTrue(pixelRms > 6 && pixelRms < 11, "pixel RMS " + pixelRms);
        // Neighbouring pixels differ by a small fraction of a pixel: the field is smooth.
        assertTrue(maxStep < 2.5, "largest step between neighbours " + maxStep);
    }

    @Test
    void sameSeedSameOutputDifferentSeedDifferentOutput() {
        Sample s = sample(40, 30, 3);
        ElasticDeformation e = ElasticDeformation.paper();
        Sample a = e.apply(s, rng(42), Interpolation.BICUBIC);
        Sample b = e.apply(s, rng(42), Interpolation.BICUBIC);
        Sample c = e.apply(s, rng(43), Interpolation.BICUBIC);
        assertEquals(a, b);
        assertNotEquals(a, c);
        DisplacementField f1 = e.drawField(40, 30, rng(42));
        DisplacementField f2 = e.drawGrid(rng(42)).interpolate(40, 30);
        assertArrayEquals(f1.dx(), f2.dx());
        assertArrayEquals(f1.dy(), f2.dy());
    }

    @Test
    void tinyImagesWork() {
        Sample one = Sample.of(new float[] {5}, new int[] {1}, null, 1, 1);
        Sample out = ElasticDeformation.paper().apply(one, rng(1), Interpolation.BICUBIC);
        assertArrayEquals(new float[] {5}, out.image());
        Sample line = Sample.of(new float[] {1, 2}, new int[] {0, 1}, null, 2, 1);
        Sample l = ElasticDeformation.paper().apply(line, rng(1), Interpolation.BILINEAR);
        assertEquals(2, l.width());
    }

    @Test
    void badConfigurationIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ElasticDeformation(1, 10));
        assertTrue(e.getMessage().contains("gridPoints"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ElasticDeformation(3, -1));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ElasticDeformation(3, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ElasticDeformation(3, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class,
                () -> new ElasticDeformation.ControlGrid(3, new float[8], new float[9]));
        assertThrows(IllegalArgumentException.class, () -> ElasticDeformation.paper().drawGrid(null));
        Sample s = sample(10, 10, 1);
        DisplacementField wrong = DisplacementField.identity(10, 9);
        e = assertThrows(IllegalArgumentException.class, () -> Warp.apply(s, wrong, Interpolation.BILINEAR));
        assertTrue(e.getMessage().contains("10x9"), e.getMessage());
    }

    @Test
    void a512DeformationTakesMillisecondsNotSeconds() {
        Sample s = Sample.of(new float[512 * 512], new int[512 * 512], new float[512 * 512], 512, 512);
        ElasticDeformation e = ElasticDeformation.paper();
        for (int i = 0; i < 3; i++) {
            e.apply(s, rng(i), Interpolation.BICUBIC); // warm-up
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            e.apply(s, rng(i), Interpolation.BICUBIC);
            best = Math.min(best, System.nanoTime() - t0);
        }
        // Tens of milliseconds expected; the bound leaves room for a busy shared machine.
        assertTrue(best < 1_000_000_000L, "512x512 deformation took " + best / 1e6 + " ms");
    }
}
