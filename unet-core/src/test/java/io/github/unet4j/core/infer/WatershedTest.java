package io.github.unet4j.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The seeded watershed: it splits objects joined through a gap in their boundary, and only splits. */
class WatershedTest {

    @Test
    void twoObjectsJoinedByAOnePixelBridgeAreKeptApart() {
        // 11x5: two 5x5 blocks of p = 0.95 at x 0..4 and 6..10, joined at (5, 2) by p = 0.6.
        int w = 11;
        int h = 5;
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = i % w == 5 ? 0.1f : 0.95f;
        }
        p[2 * w + 5] = 0.6f;
        int[] ws = Watershed.segment(p, w, h, new Watershed.Config(0.5, 0.9, 1));
        assertEquals(1, ws[0]);
        assertEquals(2, ws[w - 1]);
        assertTrue(ws[2 * w + 5] == 1 || ws[2 * w + 5] == 2, "the bridge goes to one side");
        assertEquals(2, java.util.Arrays.stream(ws).max().getAsInt());
        // The foreground's components would make one object of both.
        int[] cc = Watershed.segment(p, w, h, new Watershed.Config(0.5, 0.99, 1)); // no seeds: components
        assertEquals(1, java.util.Arrays.stream(cc).max().getAsInt());
    }

    @Test
    void smallObjectsAreDroppedAndUnseededForegroundKept() {
        float[] p = {0.95f, 0.95f, 0.1f, 0.7f, 0.1f, 0.7f, 0.7f, 0.7f};
        int[] ws = Watershed.segment(p, 8, 1, new Watershed.Config(0.5, 0.9, 2));
        assertEquals(1, ws[0]);
        assertEquals(1, ws[1]);
        assertEquals(0, ws[3], "one pixel: under minSize");
        assertEquals(2, ws[5], "no seed, kept as its own object");
    }

    @Test
    void onRandomMapsEveryObjectLiesInOneForegroundComponentAndCoversItExactly() {
        Random r = new Random(9);
        for (int t = 0; t < 200; t++) {
            int w = 2 + r.nextInt(12);
            int h = 2 + r.nextInt(12);
            float[] p = new float[w * h];
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextFloat();
            }
            int[] ws = Watershed.segment(p, w, h, new Watershed.Config(0.4, 0.8, 1));
            int[] cc = Watershed.segment(p, w, h, new Watershed.Config(0.4, 0.999999, 1));
            Map<Integer, Integer> componentOf = new HashMap<>();
            for (int i = 0; i < p.length; i++) {
                assertEquals(p[i] > 0.4, ws[i] != 0, "the objects are exactly the foreground");
                assertEquals(ws[i] != 0, cc[i] != 0);
                if (ws[i] != 0) {
                    Integer before = componentOf.put(ws[i], cc[i]);
                    assertTrue(before == null || before == cc[i], "object " + ws[i] + " spans two components");
                }
            }
        }
    }
}
