package io.github.unet4j.train.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Intersection over union (Jaccard index) and Dice coefficient of each of K classes, comparing
 * the pixels a prediction assigns to a class with those the truth assigns to it.
 *
 * <p>For class k with {@code P} predicted pixels, {@code T} true pixels and {@code X} pixels in
 * both: {@code IoU = X / (P + T - X)} and {@code Dice = 2X / (P + T)}. A class absent from both
 * images has no defined score and gets {@code NaN}; the means skip such classes.
 *
 * @param iou IoU per class, index = class
 * @param dice Dice per class, index = class
 */
public record ClassOverlap(double[] iou, double[] dice) {

    /**
     * Copies and checks the arrays.
     *
     * @param iou IoU per class (copied)
     * @param dice Dice per class (copied)
     * @throws IllegalArgumentException if they are empty or differ in length
     */
    public ClassOverlap {
        Objects.requireNonNull(iou, "iou");
        Objects.requireNonNull(dice, "dice");
        if (iou.length == 0 || iou.length != dice.length) {
            throw new IllegalArgumentException("need one IoU and one Dice per class, got "
                    + iou.length + " and " + dice.length);
        }
        iou = iou.clone();
        dice = dice.clone();
    }

    /**
     * Computes the scores of class-index images.
     *
     * @param prediction predicted class per pixel, 0 to {@code numClasses - 1}
     * @param truth true class per pixel, 0 to {@code numClasses - 1}
     * @param numClasses K, at least 1
     * @return IoU and Dice of each class
     * @throws IllegalArgumentException if the sizes differ (naming both) or a label is not a
     *     class index
     */
    public static ClassOverlap of(LabelImage prediction, LabelImage truth, int numClasses) {
        LabelImage.requireSameSize(prediction, truth);
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        int[] p = prediction.array();
        int[] t = truth.array();
        long[] predCount = new long[numClasses];
        long[] truthCount = new long[numClasses];
        long[] both = new long[numClasses];
        for (int i = 0; i < p.length; i++) {
            int a = checkClass("prediction", p[i], i, prediction.width(), numClasses);
            int b = checkClass("truth", t[i], i, prediction.width(), numClasses);
            predCount[a]++;
            truthCount[b]++;
            if (a == b) {
                both[a]++;
            }
        }
        return ofCounts(predCount, truthCount, both);
    }

    /**
     * @param predicted pixels predicted as each class
     * @param truth     pixels of each class in the truth
     * @param both      pixels of each class in both
     * @return IoU and Dice of each class, NaN for a class in neither
     */
    public static ClassOverlap ofCounts(long[] predicted, long[] truth, long[] both) {
        int k = both.length;
        double[] iou = new double[k];
        double[] dice = new double[k];
        for (int c = 0; c < k; c++) {
            long sum = predicted[c] + truth[c];
            iou[c] = sum == 0 ? Double.NaN : (double) both[c] / (sum - both[c]);
            dice[c] = sum == 0 ? Double.NaN : 2.0 * both[c] / sum;
        }
        return new ClassOverlap(iou, dice);
    }

    private static int checkClass(String which, int label, int index, int width, int numClasses) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException(which + " label " + label + " at (" + (index % width) + ", "
                    + (index / width) + ") is not a class index 0.." + (numClasses - 1));
        }
        return label;
    }

    /** @return a copy of the IoU per class */
    @Override
    public double[] iou() {
        return iou.clone();
    }

    /** @return a copy of the Dice coefficient per class */
    @Override
    public double[] dice() {
        return dice.clone();
    }

    /** @return K, the number of classes */
    public int numClasses() {
        return iou.length;
    }

    /** @return the mean IoU over the classes present in either image, NaN if none */
    public double meanIou() {
        return nanMean(iou);
    }

    /** @return the mean Dice over the classes present in either image, NaN if none */
    public double meanDice() {
        return nanMean(dice);
    }

    /**
     * @param v values, NaN where undefined (a class absent from both images)
     * @return the mean of the defined ones, NaN if none is
     */
    public static double nanMean(double[] v) {
        double sum = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                sum += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Compares the scores (a record would compare array identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClassOverlap c && Arrays.equals(c.iou, iou) && Arrays.equals(c.dice, dice);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(iou) + Arrays.hashCode(dice);
    }

    /** @return for instance {@code IoU=[0.750, 0.571] Dice=[0.857, 0.727]} */
    @Override
    public String toString() {
        return "IoU=" + format(iou) + " Dice=" + format(dice);
    }

    private static String format(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v[i]));
        }
        return sb.append(']').toString();
    }
}
