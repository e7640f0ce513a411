package io.github.unet4j.train.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Object-level scores of a predicted instance label image against the true one (0 background,
 * each positive id one object). A predicted and a true object match when their IoU is above
 * 0.5, which makes every match unique (two objects cannot both overlap a third by more than
 * half of their union). The Cell Tracking Challenge's SEG: for each true object, the IoU
 * (Jaccard index) with the predicted object that covers more than half of it, or 0 if none
 * does, averaged over the true objects.
 *
 * @param trueObjects      objects in the truth
 * @param predictedObjects objects in the prediction
 * @param matched          pairs with IoU above 0.5
 * @param meanMatchedIou   the mean IoU of the matched pairs, NaN if none
 * @param seg              the SEG measure, NaN if the truth has no objects
 * @param mergedPairs      pairs of true objects merged into one predicted object: each true
 *                         object is assigned to the predicted object that covers more than half
 *                         of it, and a predicted object assigned k true ones merges k(k-1)/2 pairs
 */
public record ObjectMatching(int trueObjects, int predictedObjects, int matched, double meanMatchedIou, double seg,
        long mergedPairs) {

    /** IoU a pair must exceed to match. */
    public static final double MATCH_IOU = 0.5;

    /**
     * @param predicted row-major predicted instance ids
     * @param truth     row-major true instance ids, of the same length
     * @return the scores
     * @throws IllegalArgumentException for different lengths or negative ids
     */
    public static ObjectMatching of(int[] predicted, int[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException("ObjectMatching: prediction has " + predicted.length
                    + " pixels, truth " + truth.length);
        }
        Map<Integer, Long> pSize = new HashMap<>();
        Map<Integer, Long> tSize = new HashMap<>();
        Map<Long, Long> overlap = new HashMap<>();
        for (int i = 0; i < truth.length; i++) {
            int p = predicted[i];
            int t = truth[i];
            if (p < 0 || t < 0) {
                throw new IllegalArgumentException("ObjectMatching: negative id at pixel " + i);
            }
            if (p > 0) {
                pSize.merge(p, 1L, Long::sum);
            }
            if (t > 0) {
                tSize.merge(t, 1L, Long::sum);
            }
            if (p > 0 && t > 0) {
                overlap.merge(((long) t << 32) | p, 1L, Long::sum);
            }
        }
        int matched = 0;
        double iouSum = 0;
        Map<Integer, Double> segOf = new HashMap<>();
        Map<Integer, Integer> coveredBy = new HashMap<>();
        for (Map.Entry<Long, Long> e : overlap.entrySet()) {
            int t = (int) (e.getKey() >>> 32);
            int p = (int) (e.getKey() & 0xffffffffL);
            long both = e.getValue();
            double iou = (double) both / (tSize.get(t) + pSize.get(p) - both);
            if (iou > MATCH_IOU) {
                matched++;
                iouSum += iou;
            }
            if (2 * both > tSize.get(t)) {
                segOf.put(t, iou); // at most one predicted object covers more than half of t
                coveredBy.merge(p, 1, Integer::sum);
            }
        }
        double seg = tSize.isEmpty() ? Double.NaN
                : segOf.values().stream().mapToDouble(Double::doubleValue).sum() / tSize.size();
        long merged = 0;
        for (int k : coveredBy.values()) {
            merged += (long) k * (k - 1) / 2;
        }
        return new ObjectMatching(tSize.size(), pSize.size(), matched, matched == 0 ? Double.NaN : iouSum / matched,
                seg, merged);
    }

    /** @return matched / predicted objects (1 when both images have no objects, 0 when only the truth has some) */
    public double precision() {
        return predictedObjects == 0 ? (trueObjects == 0 ? 1 : 0) : (double) matched / predictedObjects;
    }

    /** @return matched / true objects (1 when both images have no objects, 0 when only the prediction has some) */
    public double recall() {
        return trueObjects == 0 ? (predictedObjects == 0 ? 1 : 0) : (double) matched / trueObjects;
    }

    /** @return the harmonic mean of precision and recall, 2 matched / (true + predicted) */
    public double f1() {
        return trueObjects + predictedObjects == 0 ? 1 : 2.0 * matched / (trueObjects + predictedObjects);
    }
}
