package io.github.unet4j.train.metrics;

import java.util.Locale;
import java.util.Objects;

/**
 * The metrics of one binary (membrane/cell) segmentation against its ground truth: pixel
 * error, the ISBI 2012 foreground-restricted Rand and information scores, and IoU and Dice of
 * the two classes (index 0 = membrane, 1 = cell).
 *
 * @param pixelError the fraction of pixels whose class (membrane or cell) differs, in [0, 1]
 * @param scores the foreground-restricted Rand and information scores
 * @param overlap IoU and Dice of class 0 (membrane) and class 1 (cell)
 */
public record SegmentationMetrics(double pixelError, ForegroundRestrictedScores scores, ClassOverlap overlap) {

    /**
     * Checks the values.
     *
     * @param pixelError the pixel error
     * @param scores the Rand and information scores
     * @param overlap IoU and Dice of membrane and cell
     * @throws IllegalArgumentException if {@code pixelError} is not in [0, 1]
     */
    public SegmentationMetrics {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(overlap, "overlap");
        if (!(pixelError >= 0 && pixelError <= 1)) {
            throw new IllegalArgumentException("pixelError must be in [0, 1], got " + pixelError);
        }
    }

    /**
     * Evaluates a binary segmentation.
     *
     * @param prediction the predicted membrane/cell map (threshold a probability map first,
     *     for instance with {@link LabelImage#threshold})
     * @param truth the ground-truth membrane/cell map
     * @param convention which values mean membrane, in both images
     * @param predictedMembrane how predicted membrane inside true cells enters the Rand and
     *     information scores ({@link PredictedMembrane#SINGLETONS} as in the ISBI challenge)
     * @return all metrics
     * @throws IllegalArgumentException if the sizes differ (naming both) or the truth has no
     *     cell pixels
     */
    public static SegmentationMetrics evaluate(LabelImage prediction, LabelImage truth,
                                               MembraneLabel convention, PredictedMembrane predictedMembrane) {
        LabelImage.requireSameSize(prediction, truth);
        Objects.requireNonNull(convention, "convention");
        LabelImage predClasses = toClasses(prediction, convention);
        LabelImage truthClasses = toClasses(truth, convention);
        return new SegmentationMetrics(pixelError(prediction, truth, convention),
                ForegroundRestrictedScores.of(prediction, truth, convention, predictedMembrane),
                ClassOverlap.of(predClasses, truthClasses, 2));
    }

    /**
     * The fraction of pixels whose binary class differs: membrane in one image and cell in the
     * other. Two different cell values (say 1 and 255) are the same class.
     *
     * @param prediction the predicted membrane/cell map
     * @param truth the ground-truth membrane/cell map
     * @param convention which values mean membrane, in both images
     * @return the pixel error in [0, 1]
     * @throws IllegalArgumentException if the sizes differ, naming both
     */
    public static double pixelError(LabelImage prediction, LabelImage truth, MembraneLabel convention) {
        LabelImage.requireSameSize(prediction, truth);
        Objects.requireNonNull(convention, "convention");
        int[] p = prediction.array();
        int[] t = truth.array();
        long wrong = 0;
        for (int i = 0; i < p.length; i++) {
            if (convention.isCell(p[i]) != convention.isCell(t[i])) {
                wrong++;
            }
        }
        return (double) wrong / p.length;
    }

    /**
     * Maps a membrane/cell map to class indices.
     *
     * @param image a membrane/cell map
     * @param convention which values mean membrane
     * @return 0 for membrane, 1 for cell
     */
    public static LabelImage toClasses(LabelImage image, MembraneLabel convention) {
        int[] v = image.array();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = convention.isCell(v[i]) ? 1 : 0;
        }
        return new LabelImage(image.width(), image.height(), out);
    }

    /** @return {@code 1 - V_rand} */
    public double randError() {
        return scores.randError();
    }

    /** @return {@code 1 - V_info} */
    public double informationError() {
        return scores.informationError();
    }

    /** @return one log line, for instance {@code pixelErr=0.0712 randErr=0.0523 infoErr=0.0311 IoU=[...] Dice=[...]} */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "pixelErr=%.4f randErr=%.4f infoErr=%.4f ",
                pixelError, randError(), informationError()) + overlap;
    }
}
