package io.github.unet4j.train.augment;

import io.github.unet4j.train.data.Sample;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrayValueTest {

    @Test
    void knownAnswers() {
        float[] v = {0, 0.5f, 1};
        assertArrayEquals(v, GrayValue.apply(v, new GrayValue.Params(1, 1, 0)));
        // gamma 2 on [0, 1]: squares
        assertArrayEquals(new float[] {0, 0.25f, 1}, GrayValue.apply(v, new GrayValue.Params(2, 1, 0)), 1e-7f);
        // gamma acts on the channel's own range [2, 4]: 2 + 2 * 0.5^2 = 2.5
        assertArrayEquals(new float[] {2, 2.5f, 4},
                GrayValue.apply(new float[] {2, 3, 4}, new GrayValue.Params(2, 1, 0)), 1e-6f);
        // contrast 2 about the mean 1
        assertArrayEquals(new float[] {-1, 1, 3},
                GrayValue.apply(new float[] {0, 1, 2}, new GrayValue.Params(1, 2, 0)), 1e-6f);
        // brightness adds
        assertArrayEquals(new float[] {0.25f, 0.75f, 1.25f}, GrayValue.apply(v, new GrayValue.Params(1, 1, 0.25)),
                1e-7f);
        // a constant channel is left by gamma and contrast
        assertArrayEquals(new float[] {3, 3}, GrayValue.apply(new float[] {3, 3}, new GrayValue.Params(2, 3, 0)));
    }

    @Test
    void onlyTheImageChanges() {
        int[] label = {0, 1, 2};
        float[] weight = {1, 2, 3};
        Sample s = new Sample(new float[][] {{0, 0.5f, 1}, {1, 2, 3}}, label, weight, 3, 1);
        Sample out = GrayValue.apply(s, new GrayValue.Params(2, 1, 0.5));
        assertSame(label, out.label());
        assertSame(weight, out.weight());
        assertArrayEquals(new float[] {0.5f, 0.75f, 1.5f}, out.channels()[0], 1e-6f);
        // the second channel's range is [1, 3]: 1 + 2 * 0.5^2 = 1.5 in the middle, then + 0.5
        assertArrayEquals(new float[] {1.5f, 2f, 3.5f}, out.channels()[1], 1e-6f);
        assertArrayEquals(new float[] {0, 0.5f, 1}, s.channels()[0], "input untouched");
    }

    @Test
    void drawsStayInTheirRanges() {
        GrayValue g = GrayValue.mild();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            GrayValue.Params p = g.draw(r);
            assertTrue(p.gamma() >= 0.8 && p.gamma() <= 1.25, "gamma " + p.gamma());
            assertTrue(p.contrast() >= 0.9 && p.contrast() <= 1.1, "contrast " + p.contrast());
            assertTrue(p.brightness() >= -0.05 && p.brightness() <= 0.05, "brightness " + p.brightness());
        }
    }

    @Test
    void badRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GrayValue(0, 1, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GrayValue(1.2, 1.1, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GrayValue(1, 1, -1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GrayValue(1, 1, 1, 1, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new GrayValue.Params(0, 1, 0));
    }
}
