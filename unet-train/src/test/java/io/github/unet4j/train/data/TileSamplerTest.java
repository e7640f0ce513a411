package io.github.unet4j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.unet4j.train.augment.AugmentConfig;
import io.github.unet4j.train.augment.Augmenter;
import io.github.unet4j.train.data.Sample;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tiles, their labels and weights line up; sampling is reproducible. */
class TileSamplerTest {

    /** Image value = 1000 * y + x, label = (x + y) % 2, weight = x. */
    static Sample coordinates(int w, int h) {
        float[] img = new float[w * h];
        int[] lab = new int[w * h];
        float[] wt = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img[y * w + x] = 1000 * y + x;
                lab[y * w + x] = (x + y) % 2;
                wt[y * w + x] = x;
            }
        }
        return Sample.of(img, lab, wt, w, h);
    }

    @Test
    void labelAndWeightAreTheCentreOfTheInputWindow() {
        TileSampler s = new TileSampler(List.of(coordinates(30, 20)), 14, 6, null);
        Batch b = s.next(3, new SplittableRandom(1));
        assertArrayEquals(new long[] {3, 1, 14, 14}, b.input().shape());
        assertArrayEquals(new long[] {3, 6, 6}, b.target().shape());
        for (int i = 0; i < 3; i++) {
            // The output pixel (r, c) is input pixel (r + 4, c + 4): decode its coordinates.
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 6; c++) {
                    double v = b.input().getDouble(i, 0, r + 4, c + 4);
                    int y = (int) (v / 1000);
                    int x = (int) (v % 1000);
                    assertEquals((x + y) % 2, b.target().getDouble(i, r, c), 0);
                    assertEquals(x, b.weight().getDouble(i, r, c), 0);
                }
            }
        }
    }

    @Test
    void mirroredContextAtTheBorder() {
        // An image as small as the output window: the context is mirrored (reflect, no edge repeat).
        TileSampler s = new TileSampler(List.of(coordinates(6, 6)), 10, 6, null);
        INDArray x = s.next(1, new SplittableRandom(2)).input();
        assertEquals(1000 * 2 + 2, x.getDouble(0, 0, 0, 0), 0); // (-2, -2) reflects to (2, 2)
        assertEquals(0, x.getDouble(0, 0, 2, 2), 0);
        assertEquals(1000 * 3 + 3, x.getDouble(0, 0, 9, 9), 0); // (7, 7) reflects to (3, 3)
    }

    @Test
    void reproducibleFromTheGenerator() {
        TileSampler s = new TileSampler(List.of(coordinates(40, 40)), 20, 12, new Augmenter(AugmentConfig.defaults()));
        Batch a = s.next(2, new SplittableRandom(5));
        Batch b = s.next(2, new SplittableRandom(5));
        Batch c = s.next(2, new SplittableRandom(6));
        assertEquals(a.input(), b.input());
        assertEquals(a.target(), b.target());
        assertNotEquals(a.input(), c.input());
    }

    @Test
    void badConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new TileSampler(List.of(), 14, 6, null));
        assertThrows(IllegalArgumentException.class, () -> new TileSampler(List.of(coordinates(8, 8)), 13, 6, null));
    }
}
