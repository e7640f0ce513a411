package io.github.unet4j.train.metrics;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The foreground-restricted Rand and information-theoretic scores of the ISBI 2012 EM
 * segmentation challenge (I. Arganda-Carreras et al., "Crowdsourcing the creation of image
 * segmentation algorithms for connectomics", Front. Neuroanat. 9:142, 2015).
 *
 * <p><b>Segments and counting.</b> Segments are the 4-connected components of the cell pixels
 * of the prediction (S) and of the ground truth (T). Only the n pixels that are cell in the
 * ground truth are counted. For each predicted segment i and true segment j, {@code n_ij} is
 * the number of those pixels in both, {@code s_i = sum_j n_ij} and {@code t_j = sum_i n_ij};
 * {@code p_ij = n_ij / n}. Pixels that are cell in the truth but membrane in the prediction are
 * handled as {@link PredictedMembrane} says: by default ({@link PredictedMembrane#SINGLETONS},
 * as the challenge's script) each is a segment of its own.
 *
 * <p><b>Rand scores</b> (pairs of pixels in the same segment):
 * {@code V_rand_split = sum_ij n_ij^2 / sum_j t_j^2},
 * {@code V_rand_merge = sum_ij n_ij^2 / sum_i s_i^2} and their harmonic mean, the Rand F-score
 * {@code V_rand = 2 sum_ij n_ij^2 / (sum_i s_i^2 + sum_j t_j^2)}; Rand error = 1 - V_rand.
 *
 * <p><b>Information scores</b> (entropies H in nats; the base cancels):
 * {@code V_info_split = I(S;T) / H(S)}, {@code V_info_merge = I(S;T) / H(T)} and their
 * harmonic mean {@code V_info = 2 I(S;T) / (H(S) + H(T))}, with
 * {@code I(S;T) = sum_ij p_ij log(p_ij / (p_i p_j))}; information error = 1 - V_info. A ratio
 * 0/0 (a side with a single segment, so zero entropy) counts as 1: nothing to split or merge.
 *
 * <p>All scores lie in [0, 1]; 1 is a perfect segmentation. Counts are {@code long} and the
 * contingency table is a hash map over the pairs that occur, so large images with many
 * segments cost memory in proportion to the pixels, not to the product of segment counts.
 *
 * @param vRand the Rand F-score
 * @param vRandSplit the Rand split score (low when the prediction splits true cells)
 * @param vRandMerge the Rand merge score (low when the prediction merges true cells)
 * @param vInfo the information-theoretic F-score
 * @param vInfoSplit the information split score
 * @param vInfoMerge the information merge score
 */
public record ForegroundRestrictedScores(double vRand, double vRandSplit, double vRandMerge,
                                         double vInfo, double vInfoSplit, double vInfoMerge) {

    /**
     * Checks that every score is in [0, 1].
     *
     * @param vRand the Rand F-score
     * @param vRandSplit the Rand split score
     * @param vRandMerge the Rand merge score
     * @param vInfo the information F-score
     * @param vInfoSplit the information split score
     * @param vInfoMerge the information merge score
     * @throws IllegalArgumentException naming the first score out of range
     */
    public ForegroundRestrictedScores {
        check("vRand", vRand);
        check("vRandSplit", vRandSplit);
        check("vRandMerge", vRandMerge);
        check("vInfo", vInfo);
        check("vInfoSplit", vInfoSplit);
        check("vInfoMerge", vInfoMerge);
    }

    private static void check(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }

    /** @return {@code 1 - vRand}, the challenge's Rand error */
    public double randError() {
        return 1 - vRand;
    }

    /** @return {@code 1 - vInfo}, the challenge's information error */
    public double informationError() {
        return 1 - vInfo;
    }

    /**
     * Scores binary segmentations: segments are the 4-connected components of the cell pixels
     * of each.
     *
     * @param prediction the predicted membrane/cell map
     * @param truth the ground-truth membrane/cell map
     * @param convention which values mean membrane (for both images)
     * @param predictedMembrane how predicted membrane inside true cells is counted
     * @return the scores
     * @throws IllegalArgumentException if the sizes differ (naming both) or the truth has no
     *     cell pixels
     */
    public static ForegroundRestrictedScores of(LabelImage prediction, LabelImage truth,
                                                MembraneLabel convention, PredictedMembrane predictedMembrane) {
        LabelImage.requireSameSize(prediction, truth);
        return ofSegments(CellSegments.label(prediction, convention),
                CellSegments.label(truth, convention), predictedMembrane);
    }

    /**
     * Scores segmentations given as segment ids, 0 meaning membrane in both. Use this when the
     * segments come from elsewhere (a watershed, an instance segmentation); ids need not be
     * contiguous and a segment need not be connected.
     *
     * @param predictionSegments predicted segment ids, 0 = membrane
     * @param truthSegments true segment ids, 0 = membrane
     * @param predictedMembrane how predicted membrane inside true cells is counted
     * @return the scores
     * @throws IllegalArgumentException if the sizes differ (naming both) or the truth has no
     *     cell pixels
     */
    public static ForegroundRestrictedScores ofSegments(LabelImage predictionSegments, LabelImage truthSegments,
                                                        PredictedMembrane predictedMembrane) {
        LabelImage.requireSameSize(predictionSegments, truthSegments);
        Objects.requireNonNull(predictedMembrane, "predictedMembrane");
        int[] pred = predictionSegments.array();
        int[] truth = truthSegments.array();

        Map<Long, Long> joint = new HashMap<>();
        Map<Integer, Long> rows = new HashMap<>();
        Map<Integer, Long> cols = new HashMap<>();
        // Singletons per true segment: each is its own row and joint cell with count 1.
        Map<Integer, Long> singletons = new HashMap<>();
        long n = 0;
        for (int k = 0; k < truth.length; k++) {
            int t = truth[k];
            if (t == 0) {
                continue;
            }
            n++;
            cols.merge(t, 1L, Long::sum);
            int s = pred[k];
            if (s == 0 && predictedMembrane == PredictedMembrane.SINGLETONS) {
                singletons.merge(t, 1L, Long::sum);
                continue;
            }
            rows.merge(s, 1L, Long::sum);
            joint.merge(((long) s << 32) | (t & 0xffffffffL), 1L, Long::sum);
        }
        if (n == 0) {
            throw new IllegalArgumentException("the " + truthSegments.size()
                    + " truth has no cell pixels; the foreground-restricted scores are undefined");
        }
        long singletonCount = 0;
        for (long c : singletons.values()) {
            singletonCount += c;
        }

        // Rand: a singleton adds 1 to sum n_ij^2 and to sum s_i^2.
        long sumJoint2 = singletonCount + sumOfSquares(joint.values());
        long sumRows2 = singletonCount + sumOfSquares(rows.values());
        long sumCols2 = sumOfSquares(cols.values());
        double vRand = 2.0 * sumJoint2 / (sumRows2 + sumCols2);
        double vRandSplit = (double) sumJoint2 / sumCols2;
        double vRandMerge = (double) sumJoint2 / sumRows2;

        // Information: H(X) = (1/n) sum_c c log(n / c); a singleton has c = 1.
        double logN = Math.log(n);
        double hS = (entropySum(rows.values(), logN) + singletonCount * logN) / n;
        double hT = entropySum(cols.values(), logN) / n;
        // I = (1/n) sum_ij n_ij log(n n_ij / (s_i t_j)), summed directly rather than as
        // H(S) + H(T) - H(S,T) so identical segmentations give I = H exactly, not 1e-16 off.
        double mi = 0;
        for (Map.Entry<Long, Long> e : joint.entrySet()) {
            long key = e.getKey();
            long c = e.getValue();
            long si = rows.get((int) (key >> 32));
            long tj = cols.get((int) key);
            mi += c * (logN + Math.log(c) - Math.log(si) - Math.log(tj));
        }
        for (Map.Entry<Integer, Long> e : singletons.entrySet()) {
            mi += e.getValue() * (logN - Math.log(cols.get(e.getKey())));
        }
        mi = Math.max(0, mi / n);
        double vInfoSplit = ratio(mi, hS);
        double vInfoMerge = ratio(mi, hT);
        double vInfo = ratio(2 * mi, hS + hT);
        return new ForegroundRestrictedScores(clamp(vRand), clamp(vRandSplit), clamp(vRandMerge),
                clamp(vInfo), clamp(vInfoSplit), clamp(vInfoMerge));
    }

    private static long sumOfSquares(Iterable<Long> counts) {
        long sum = 0;
        for (long c : counts) {
            sum += c * c;
        }
        return sum;
    }

    private static double entropySum(Iterable<Long> counts, double logN) {
        double sum = 0;
        for (long c : counts) {
            sum += c * (logN - Math.log(c));
        }
        return sum;
    }

    /** 0/0 means a side with one segment: nothing to split or merge, a perfect score. */
    private static double ratio(double num, double den) {
        if (den <= 1e-15) {
            return 1.0;
        }
        return num / den;
    }

    /** Rounding can put a ratio of equal sums a few ulps outside [0, 1]. */
    private static double clamp(double v) {
        return Math.min(1.0, Math.max(0.0, v));
    }

    /** @return the errors and the split/merge scores, four decimals */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "randErr=%.4f (split %.4f merge %.4f) infoErr=%.4f (split %.4f merge %.4f)",
                randError(), vRandSplit, vRandMerge, informationError(), vInfoSplit, vInfoMerge);
    }
}
