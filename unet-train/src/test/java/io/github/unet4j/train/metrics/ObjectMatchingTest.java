package io.github.unet4j.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Object matching and SEG: hand-computed cases and properties. */
class ObjectMatchingTest {

    @Test
    void handComputedCase() {
        // Truth: object 1 = pixels 0..3, object 2 = 6..9. Prediction: A (id 7) = 0..2 (IoU 3/4 with 1),
        // B (id 9) = 5..9 and 4 (IoU 4/6 with 2... B covers 4..9: 6 pixels, overlap 4, union 6), C (id 3) = 11.
        int[] truth = {1, 1, 1, 1, 0, 0, 2, 2, 2, 2, 0, 0};
        int[] pred = {7, 7, 7, 0, 9, 9, 9, 9, 9, 9, 0, 3};
        ObjectMatching m = ObjectMatching.of(pred, truth);
        assertEquals(2, m.trueObjects());
        assertEquals(3, m.predictedObjects());
        assertEquals(2, m.matched());
        assertEquals((0.75 + 4.0 / 6) / 2, m.meanMatchedIou(), 1e-12);
        assertEquals((0.75 + 4.0 / 6) / 2, m.seg(), 1e-12);
        assertEquals(2.0 / 3, m.precision(), 1e-12);
        assertEquals(1.0, m.recall(), 1e-12);
        assertEquals(0.8, m.f1(), 1e-12);
        // Two true objects merged into one prediction: it covers each by all of it, but its IoU with
        // each is 4/8 = 0.5, not above: no match; SEG counts each at 0.5.
        int[] merged = {5, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0};
        int[] twoTrue = {1, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0};
        ObjectMatching mm = ObjectMatching.of(merged, twoTrue);
        assertEquals(0, mm.matched());
        assertEquals(0.5, mm.seg(), 1e-12);
        assertEquals(1, mm.mergedPairs(), "one pair of true objects merged");
        assertEquals(0, m.mergedPairs());
        // Three true objects in one prediction: 3 pairs.
        assertEquals(3, ObjectMatching.of(new int[] {4, 4, 4, 4, 4, 4}, new int[] {1, 1, 2, 2, 3, 3}).mergedPairs());
    }

    @Test
    void propertiesOnRandomLabelImages() {
        Random r = new Random(11);
        for (int t = 0; t < 100; t++) {
            int[] a = new int[40];
            int[] b = new int[40];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(4);
                b[i] = r.nextInt(4);
            }
            ObjectMatching m = ObjectMatching.of(a, b);
            assertTrue(m.f1() >= 0 && m.f1() <= 1 && m.precision() >= 0 && m.recall() <= 1, m.toString());
            assertTrue(Double.isNaN(m.seg()) || (m.seg() >= 0 && m.seg() <= 1), m.toString());
            ObjectMatching same = ObjectMatching.of(a, a);
            assertEquals(1.0, same.f1(), 0);
            assertEquals(0, same.mergedPairs());
            assertTrue(Double.isNaN(same.seg()) || same.seg() == 1.0);
            // F1 is symmetric; relabelling the instances changes nothing.
            assertEquals(m.f1(), ObjectMatching.of(b, a).f1(), 1e-12);
            int[] relabelled = a.clone();
            for (int i = 0; i < relabelled.length; i++) {
                relabelled[i] = relabelled[i] == 0 ? 0 : 100 - relabelled[i];
            }
            ObjectMatching m2 = ObjectMatching.of(relabelled, b);
            assertEquals(m.f1(), m2.f1(), 1e-12);
            assertEquals(m.seg(), m2.seg(), 1e-12);
        }
    }
}
