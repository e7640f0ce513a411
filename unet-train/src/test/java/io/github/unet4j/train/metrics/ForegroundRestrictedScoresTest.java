package io.github.unet4j.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForegroundRestrictedScoresTest {
    private static final double EPS = 1e-12;
    private static final int C = 255; // ISBI cell value; 0 is membrane

    private static LabelImage row(int... v) {
        return new LabelImage(v.length, 1, v);
    }

    /** Entropy in nats of a distribution given by counts. */
    private static double h(double... counts) {
        double n = 0;
        for (double c : counts) {
            n += c;
        }
        double s = 0;
        for (double c : counts) {
            s -= c / n * Math.log(c / n);
        }
        return s;
    }

    @Test
    void identicalSegmentationsScorePerfect() {
        int[] v = {
            C, C, 0, C, C,
            C, 0, 0, 0, C,
            0, C, C, 0, C,
            C, C, 0, C, C};
        LabelImage img = new LabelImage(5, 4, v);
        for (PredictedMembrane mode : PredictedMembrane.values()) {
            ForegroundRestrictedScores s = ForegroundRestrictedScores.of(img, img, MembraneLabel.ZERO, mode);
            assertEquals(0.0, s.randError(), EPS, mode.toString());
            assertEquals(0.0, s.informationError(), EPS, mode.toString());
            assertEquals(1.0, s.vRandSplit(), EPS);
            assertEquals(1.0, s.vInfoMerge(), EPS);
        }
    }

    @Test
    void twoCellsMergedIntoOne() {
        // truth: cells A = x0..1, B = x3..4, C = x6..7; membrane at x2 and x5.
        // prediction: one segment P1 = x0..4 (misses the membrane at x2), P2 = x6..7.
        // Counted pixels: the n = 6 true cell pixels. n_ij: (P1,A)=2 (P1,B)=2 (P2,C)=2.
        // sum n_ij^2 = 12, sum s_i^2 = 4^2 + 2^2 = 20, sum t_j^2 = 3 * 2^2 = 12.
        // V_rand = 2*12 / (20 + 12) = 0.75; split = 12/12 = 1; merge = 12/20 = 0.6.
        // Information: every truth cell lies inside one predicted segment, so H(S|T) = 0 and
        // I = H(S) = h(4, 2); H(T) = ln 3. V_info = 2 h(4,2) / (h(4,2) + ln 3) ~ 0.7337.
        LabelImage truth = row(C, C, 0, C, C, 0, C, C);
        LabelImage pred = row(C, C, C, C, C, 0, C, C);
        ForegroundRestrictedScores s = ForegroundRestrictedScores.of(pred, truth, MembraneLabel.ZERO,
                PredictedMembrane.SINGLETONS);
        assertEquals(0.75, s.vRand(), EPS);
        assertEquals(0.25, s.randError(), EPS);
        assertEquals(1.0, s.vRandSplit(), EPS);
        assertEquals(0.6, s.vRandMerge(), EPS);
        double hs = h(4, 2);
        double ht = Math.log(3);
        assertEquals(2 * hs / (hs + ht), s.vInfo(), EPS);
        assertEquals(0.7336804, s.vInfo(), 1e-6);
        assertEquals(1.0, s.vInfoSplit(), EPS);
        assertEquals(hs / ht, s.vInfoMerge(), EPS);
    }

    @Test
    void oneCellSplitInTwo() {
        // Segment ids directly: truth one cell of 4 pixels, prediction halves it.
        // n_ij = 2, 2; sum n_ij^2 = 8; sum s_i^2 = 8; sum t_j^2 = 16.
        // V_rand = 16 / 24 = 2/3; split = 8/16 = 0.5; merge = 8/8 = 1.
        // H(T) = 0, so I = 0 and V_info = 0; merge = 0/0 = 1 by convention, split = 0/ln2 = 0.
        LabelImage truth = new LabelImage(2, 2, new int[] {7, 7, 7, 7});
        LabelImage pred = new LabelImage(2, 2, new int[] {1, 1, 2, 2});
        ForegroundRestrictedScores s = ForegroundRestrictedScores.ofSegments(pred, truth, PredictedMembrane.SINGLETONS);
        assertEquals(2.0 / 3, s.vRand(), EPS);
        assertEquals(0.5, s.vRandSplit(), EPS);
        assertEquals(1.0, s.vRandMerge(), EPS);
        assertEquals(0.0, s.vInfo(), EPS);
        assertEquals(0.0, s.vInfoSplit(), EPS);
        assertEquals(1.0, s.vInfoMerge(), EPS);
    }

    @Test
    void splitByPredictedMembraneDependsOnMode() {
        // truth: A = x0..4 (5 px), membrane x5, B = x6..7 (2 px); n = 7.
        // prediction: P1 = x0, membrane x1, P2 = x2..4, membrane x5 and x6, P3 = x7.
        // Predicted membrane inside true cells: x1 (in A) and x6 (in B).
        LabelImage truth = row(C, C, C, C, C, 0, C, C);
        LabelImage pred = row(C, 0, C, C, C, 0, 0, C);

        // SINGLETONS: n_ij = (P1,A)=1 (x1,A)=1 (P2,A)=3 (x6,B)=1 (P3,B)=1.
        // sum n_ij^2 = 1+1+9+1+1 = 13 = sum s_i^2; sum t_j^2 = 25 + 4 = 29.
        // V_rand = 26 / 42 = 13/21. Each predicted segment lies in one true cell: I = H(T),
        // H(S) = h(1,1,3,1,1), H(T) = h(5,2); V_info = 2 H(T) / (H(S) + H(T)).
        ForegroundRestrictedScores single = ForegroundRestrictedScores.of(pred, truth, MembraneLabel.ZERO,
                PredictedMembrane.SINGLETONS);
        assertEquals(13.0 / 21, single.vRand(), EPS);
        assertEquals(13.0 / 29, single.vRandSplit(), EPS);
        assertEquals(1.0, single.vRandMerge(), EPS);
        double hs = h(1, 1, 3, 1, 1);
        double ht = h(5, 2);
        assertEquals(2 * ht / (hs + ht), single.vInfo(), EPS);

        // ONE_SEGMENT: x1 and x6 form one segment P0 spanning A and B.
        // n_ij = (P0,A)=1 (P0,B)=1 (P1,A)=1 (P2,A)=3 (P3,B)=1; sum n_ij^2 = 13;
        // s = P0:2 P1:1 P2:3 P3:1, sum s_i^2 = 4+1+9+1 = 15; V_rand = 26 / 44 = 13/22.
        ForegroundRestrictedScores one = ForegroundRestrictedScores.of(pred, truth, MembraneLabel.ZERO,
                PredictedMembrane.ONE_SEGMENT);
        assertEquals(13.0 / 22, one.vRand(), EPS);
        assertEquals(13.0 / 15, one.vRandMerge(), EPS);
        // I = H(S) + H(T) - H(S,T) with H(S) = h(2,1,3,1), H(S,T) = h(1,1,1,3,1).
        double hs1 = h(2, 1, 3, 1);
        double mi = hs1 + ht - h(1, 1, 1, 3, 1);
        assertEquals(2 * mi / (hs1 + ht), one.vInfo(), EPS);
    }

    @Test
    void differencesOnTrueMembraneDoNotCountUnlessTheyMerge() {
        // Prediction thinner than the truth's membrane, cells still apart: perfect scores
        // (the pixel error would be 2/5).
        LabelImage truth = row(C, 0, 0, 0, C);
        ForegroundRestrictedScores thinner = ForegroundRestrictedScores.of(row(C, C, 0, C, C), truth,
                MembraneLabel.ZERO, PredictedMembrane.SINGLETONS);
        assertEquals(0.0, thinner.randError(), EPS);
        assertEquals(0.0, thinner.informationError(), EPS);
        // Closing the gap merges the two cells: V_rand = 2*2 / (2^2 + 2) = 2/3.
        ForegroundRestrictedScores merged = ForegroundRestrictedScores.of(row(C, C, C, C, C), truth,
                MembraneLabel.ZERO, PredictedMembrane.SINGLETONS);
        assertEquals(2.0 / 3, merged.vRand(), EPS);
    }

    @Test
    void segmentIdsArePermutationInvariant() {
        LabelImage a = new LabelImage(3, 2, new int[] {1, 1, 2, 3, 3, 2});
        LabelImage b = new LabelImage(3, 2, new int[] {5, 5, 5, 9, 9, 4});
        LabelImage bRelabelled = new LabelImage(3, 2, new int[] {-8, -8, -8, 100, 100, 6});
        ForegroundRestrictedScores s = ForegroundRestrictedScores.ofSegments(a, b, PredictedMembrane.SINGLETONS);
        assertEquals(s, ForegroundRestrictedScores.ofSegments(a, bRelabelled, PredictedMembrane.SINGLETONS));
        assertTrue(s.randError() > 0.1);
    }

    @Test
    void conventionParameterSwapsMembraneAndCell() {
        LabelImage truth = row(C, C, 0, C, C, 0, C, C);
        LabelImage pred = row(C, C, C, C, C, 0, C, C);
        ForegroundRestrictedScores isbi = ForegroundRestrictedScores.of(pred, truth, MembraneLabel.ZERO,
                PredictedMembrane.SINGLETONS);
        ForegroundRestrictedScores inverted = ForegroundRestrictedScores.of(invert(pred), invert(truth),
                MembraneLabel.NONZERO, PredictedMembrane.SINGLETONS);
        assertEquals(isbi, inverted);
    }

    private static LabelImage invert(LabelImage l) {
        int[] v = l.labels();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] == 0 ? 1 : 0;
        }
        return new LabelImage(l.width(), l.height(), v);
    }

    @Test
    void sizeMismatchAndEmptyTruthAreErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForegroundRestrictedScores.of(new LabelImage(4, 4, new int[16]), new LabelImage(4, 3, new int[12]),
                        MembraneLabel.ZERO, PredictedMembrane.SINGLETONS));
        assertTrue(e.getMessage().contains("4x4") && e.getMessage().contains("4x3"), e.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ForegroundRestrictedScores.of(row(C, C), row(0, 0), MembraneLabel.ZERO, PredictedMembrane.SINGLETONS));
        assertTrue(empty.getMessage().contains("no cell pixels"), empty.getMessage());
    }
}
