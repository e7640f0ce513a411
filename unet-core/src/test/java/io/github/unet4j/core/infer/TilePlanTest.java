package io.github.unet4j.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import java.util.Random;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The tile choice against brute force, and its maps against the training tile's. */
class TilePlanTest {

    /** Output windows from 0 in steps of the stride until every pixel is inside one. */
    private static long bruteTiles(int width, int height, int out, int stride) {
        long across = 0;
        boolean[] covered = new boolean[width];
        for (int x = 0; !allTrue(covered); x += stride, across++) {
            for (int i = x; i < Math.min(width, x + out); i++) {
                covered[i] = true;
            }
        }
        long down = 0;
        covered = new boolean[height];
        for (int y = 0; !allTrue(covered); y += stride, down++) {
            for (int i = y; i < Math.min(height, y + out); i++) {
                covered[i] = true;
            }
        }
        return across * down;
    }

    private static boolean allTrue(boolean[] b) {
        for (boolean v : b) {
            if (!v) {
                return false;
            }
        }
        return true;
    }

    @Test
    void thePlanHasTheFewestInputPixelsOfEveryTileThatFits() {
        Random r = new Random(7);
        UNetConfig config = UNetConfig.paper().withDepth(4).withBaseChannels(2);
        for (int trial = 0; trial < 300; trial++) {
            int w = 1 + r.nextInt(300);
            int h = 1 + r.nextInt(300);
            int batch = 1 + r.nextInt(3);
            long budget = 1000L + r.nextInt(400_000);
            LongBinaryOperator bytes = (t, b) -> t * t * b * 3L; // grows with the tile and the batch
            TilePlan plan = TilePlan.choose(config, 100, w, h, batch, bytes, budget);
            assertEquals(bruteTiles(w, h, plan.output(), config.tileStride(plan.output())), plan.tiles(), "tiles of " + plan);
            long bestPixels = Long.MAX_VALUE;
            int bestTile = -1;
            for (int t = 1; t <= 2000; t++) {
                if (!config.isValidInputSize(t)) {
                    continue;
                }
                long tiles = bruteTiles(w, h, config.outputSize(t), config.tileStride(config.outputSize(t)));
                if (bytes.applyAsLong(t, Math.min(batch, tiles)) > budget) {
                    continue;
                }
                long pixels = tiles * t * t;
                if (pixels < bestPixels || pixels == bestPixels && t > bestTile) {
                    bestPixels = pixels;
                    bestTile = t;
                }
            }
            if (bestTile < 0) {
                assertEquals(config.validInputSizeAtLeast(1), plan.tile(), "nothing fits: the smallest tile");
            } else {
                assertEquals(bestPixels, plan.inputPixels(), w + "x" + h + " batch " + batch + " budget " + budget);
                assertEquals(bestTile, plan.tile(), w + "x" + h + " batch " + batch + " budget " + budget);
            }
        }
    }

    @Test
    void aSlice512TakesOneTileOf700InsteadOfNineOf396() {
        UNetConfig config = UNetConfig.paper();
        TilePlan plan = TilePlan.choose(config, 396, 512, 512, 2, (t, b) -> 0, Long.MAX_VALUE);
        assertEquals(700, plan.tile());
        assertEquals(1, plan.tiles());
        assertEquals(9, TilePlan.of(config, 396, 512, 512).tiles());
        assertEquals(9L * 396 * 396, TilePlan.of(config, 396, 512, 512).inputPixels());
        assertEquals(400, TilePlan.choose(config.withPadding(Padding.SAME), 400, 512, 512, 2, (t, b) -> 0,
                Long.MAX_VALUE).tile(), "SAME keeps the given tile");
    }

    /**
     * Depth 4: outputs are 4 more than a multiple of the poolings' grid of 8 (like the paper's 388
     * of 16), so windows placed output after output would sit on shifted grids.
     */
    @Test
    void everyTileGivesTheSameMapsOnThePoolingsGrid() {
        UNetConfig config = UNetConfig.paper().withDepth(4).withBaseChannels(2).withDropout(0);
        UNet net = new UNet(config, DataType.FLOAT, 5);
        io.github.unet4j.core.testing.TestTensors.nonZeroBiases(net.parameters(), 2);
        int w = 97;
        int h = 83;
        float[] pixels = new float[w * h];
        Random r = new Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextGaussian();
        }
        float[][] image = {pixels};
        TilePlan plan = TilePlan.choose(config, 100, w, h, 2, (t, b) -> 0, Long.MAX_VALUE);
        assertEquals(1, plan.tiles(), plan.toString());
        float[][] reference = new OverlapTile(UNetTileModel.of(net, plan.tile()), 2).predict(image, w, h);
        for (int tile : new int[] {100, 116, 132}) {
            UNetTileModel model = UNetTileModel.of(net, tile);
            assertEquals(config.outputSize(tile) - 4, model.stride());
            float[][] maps = new OverlapTile(model, 2).predict(image, w, h);
            assertTrue(largest(reference, maps) <= 1e-5, "tile " + tile + ": largest difference "
                    + largest(reference, maps));
        }
        // With the 8 flips and quarter turns too: every valid size is the same modulo the grid
        // (depth 4: 92 + 8k), so a flipped tile sits on the same grid whatever its size.
        float[][] ttaReference = new OverlapTile(new Dihedral(UNetTileModel.of(net, 100)), 2).predict(image, w, h);
        float[][] ttaLarge = new OverlapTile(new Dihedral(UNetTileModel.of(net, plan.tile())), 2).predict(image, w, h);
        assertTrue(largest(ttaReference, ttaLarge) <= 1e-5, "TTA: largest difference " + largest(ttaReference,
                ttaLarge));
        // Windows output after output (the stride ignored) land on shifted grids: not rounding.
        UNetTileModel aligned = UNetTileModel.of(net, 100);
        TileModel unaligned = new TileModel() {
            public int inputTile() { return aligned.inputTile(); }
            public int outputTile() { return aligned.outputTile(); }
            public int classes() { return aligned.classes(); }
            public int inChannels() { return aligned.inChannels(); }
            public org.nd4j.linalg.api.ndarray.INDArray apply(org.nd4j.linalg.api.ndarray.INDArray t) {
                return aligned.apply(t);
            }
        };
        double shifted = largest(reference, new OverlapTile(unaligned, 2).predict(image, w, h));
        assertTrue(shifted > 1e-3, "without the grid the maps differ by " + shifted);
    }

    private static double largest(float[][] a, float[][] b) {
        double max = 0;
        for (int c = 0; c < a.length; c++) {
            for (int i = 0; i < a[c].length; i++) {
                max = Math.max(max, Math.abs(a[c][i] - b[c][i]));
            }
        }
        return max;
    }
}
