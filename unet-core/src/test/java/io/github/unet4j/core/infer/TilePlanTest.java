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

    /** OverlapTile's own covering: output windows from 0 in steps of the output size. */
    private static long bruteTiles(int width, int height, int out) {
        long n = 0;
        for (int y = 0; y < height; y += out) {
            for (int x = 0; x < width; x += out) {
                n++;
            }
        }
        return n;
    }

    @Test
    void thePlanHasTheFewestInputPixelsOfEveryTileThatFits() {
        Random r = new Random(7);
        UNetConfig config = UNetConfig.paper().withDepth(3).withBaseChannels(2);
        for (int trial = 0; trial < 300; trial++) {
            int w = 1 + r.nextInt(300);
            int h = 1 + r.nextInt(300);
            int batch = 1 + r.nextInt(3);
            long budget = 1000L + r.nextInt(400_000);
            LongBinaryOperator bytes = (t, b) -> t * t * b * 3L; // grows with the tile and the batch
            TilePlan plan = TilePlan.choose(config, 60, w, h, batch, bytes, budget);
            assertEquals(bruteTiles(w, h, plan.output()), plan.tiles(), "tiles of " + plan);
            long bestPixels = Long.MAX_VALUE;
            int bestTile = -1;
            for (int t = 1; t <= 2000; t++) {
                if (!config.isValidInputSize(t)) {
                    continue;
                }
                long tiles = bruteTiles(w, h, config.outputSize(t));
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

    @Test
    void theChosenTileGivesTheTrainingTilesMaps() {
        UNetConfig config = UNetConfig.paper().withDepth(3).withBaseChannels(4).withDropout(0);
        UNet net = new UNet(config, DataType.FLOAT, 5);
        int w = 97;
        int h = 83;
        float[] pixels = new float[w * h];
        Random r = new Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextGaussian();
        }
        TilePlan plan = TilePlan.choose(config, 60, w, h, 2, (t, b) -> 0, Long.MAX_VALUE);
        assertTrue(plan.tile() > 60 && plan.tiles() < TilePlan.of(config, 60, w, h).tiles(), plan.toString());
        float[][] training = new OverlapTile(UNetTileModel.of(net, 60), 2).predict(new float[][] {pixels}, w, h);
        float[][] chosen = new OverlapTile(UNetTileModel.of(net, plan.tile()), 2).predict(new float[][] {pixels}, w, h);
        double max = 0;
        for (int c = 0; c < training.length; c++) {
            for (int i = 0; i < training[c].length; i++) {
                max = Math.max(max, Math.abs(training[c][i] - chosen[c][i]));
            }
        }
        assertTrue(max <= 1e-5, "largest difference " + max);
    }
}
