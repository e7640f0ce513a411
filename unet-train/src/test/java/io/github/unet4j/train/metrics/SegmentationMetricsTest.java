package io.github.unet4j.train.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {
    private static final double EPS = 1e-12;

    // 1 = cell, 0 = membrane (MembraneLabel.ZERO); also read as class indices.
    private static final LabelImage TRUTH = new LabelImage(4, 4, new int[] {
        1, 1, 0, 0,
        1, 1, 0, 0,
        0, 0, 0, 0,
        0, 0, 1, 1});
    private static final LabelImage PRED = new LabelImage(4, 4, new int[] {
        1, 1, 1, 0,
        1, 0, 0, 0,
        0, 0, 0, 0,
        0, 0, 1, 0});

    @Test
    void pixelErrorByHand() {
        // Differences at (2,0), (1,1) and (3,3): 3 of 16.
        assertEquals(3.0 / 16, SegmentationMetrics.pixelError(PRED, TRUTH, MembraneLabel.ZERO), EPS);
        // Different cell values are the same class.
        int[] v = TRUTH.labels();
        for (int i = 0; i < v.length; i++) {
            v[i] *= 255;
        }
        assertEquals(3.0 / 16, SegmentationMetrics.pixelError(PRED, new LabelImage(4, 4, v), MembraneLabel.ZERO), EPS);
    }

    @Test
    void iouAndDiceByHand() {
        // Class 1: truth 6 px, prediction 5 px, both 4 -> IoU 4/(6+5-4) = 4/7, Dice 8/11.
        // Class 0: truth 10, prediction 11, both 16-3-4 = 9 -> IoU 9/12, Dice 18/21.
        ClassOverlap o = ClassOverlap.of(PRED, TRUTH, 2);
        assertArrayEquals(new double[] {9.0 / 12, 4.0 / 7}, o.iou(), EPS);
        assertArrayEquals(new double[] {18.0 / 21, 8.0 / 11}, o.dice(), EPS);
        assertEquals((9.0 / 12 + 4.0 / 7) / 2, o.meanIou(), EPS);
        // A third class absent from both images: NaN, skipped by the means.
        ClassOverlap three = ClassOverlap.of(PRED, TRUTH, 3);
        assertTrue(Double.isNaN(three.iou()[2]));
        assertEquals(o.meanDice(), three.meanDice(), EPS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassOverlap.of(PRED, TRUTH, 1));
        assertTrue(e.getMessage().contains("label 1"), e.getMessage());
    }

    @Test
    void evaluateBundlesAndFormats() {
        SegmentationMetrics m = SegmentationMetrics.evaluate(PRED, TRUTH, MembraneLabel.ZERO, PredictedMembrane.SINGLETONS);
        assertEquals(3.0 / 16, m.pixelError(), EPS);
        assertEquals(ClassOverlap.of(PRED, TRUTH, 2), m.overlap());
        // Truth cells: A = top-left 2x2, B = (2,3)-(3,3). Prediction segments on them:
        // P1 = {(0,0),(1,0),(0,1)} (with (2,0), which is true membrane), singleton (1,1),
        // P2 = (2,3), singleton (3,3). n = 6; n_ij = 3, 1, 1, 1; sum n_ij^2 = 12 = sum s_i^2;
        // sum t_j^2 = 16 + 4 = 20; V_rand = 24 / 32 = 0.75.
        assertEquals(0.25, m.randError(), EPS);
        String s = m.toString();
        assertTrue(s.startsWith("pixelErr=0.1875 randErr=0.2500 infoErr="), s);
        assertTrue(s.contains("IoU=[0.750, 0.571]"), s);
        assertTrue(!s.contains("\n"), s);
    }

    @Test
    void sizeMismatchNamesBothSizes() {
        LabelImage small = new LabelImage(3, 4, new int[12]);
        for (Runnable r : new Runnable[] {
            () -> SegmentationMetrics.pixelError(PRED, small, MembraneLabel.ZERO),
            () -> ClassOverlap.of(PRED, small, 2),
            () -> SegmentationMetrics.evaluate(small, TRUTH, MembraneLabel.ZERO, PredictedMembrane.SINGLETONS)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("4x4") && e.getMessage().contains("3x4"), e.getMessage());
        }
    }

    @Test
    void labelsFromGrayImages() {
        GrayImage prob = new GrayImage(3, 1, new float[] {0.2f, 0.5f, 0.9f}, BitDepth.FLOAT32);
        assertArrayEquals(new int[] {0, 0, 1}, LabelImage.threshold(prob, 0.5f).labels());
        GrayImage isbi = GrayImage.ofInts(2, 1, new int[] {0, 255}, BitDepth.EIGHT);
        assertArrayEquals(new int[] {0, 255}, LabelImage.of(isbi).labels());
    }
}
