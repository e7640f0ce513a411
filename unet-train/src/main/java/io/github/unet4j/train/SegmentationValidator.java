package io.github.unet4j.train;

import io.github.unet4j.core.UNet;
import io.github.unet4j.train.data.Sample;
import io.github.unet4j.train.metrics.LabelImage;
import io.github.unet4j.train.metrics.MembraneLabel;
import io.github.unet4j.train.metrics.PredictedMembrane;
import io.github.unet4j.train.metrics.SegmentationMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation on held-out labelled images for binary membrane/cell segmentation (class 0 =
 * membrane, 1 = cell): segments each image by overlap-tile inference and reports the means over
 * images of the pixel error, the ISBI 2012 foreground-restricted Rand and information errors,
 * and the IoU of each class.
 */
public final class SegmentationValidator implements Validator {
    private final HeldOut held;

    /**
     * @param images    held-out samples with class labels (0 membrane, 1 cell)
     * @param inputTile network input tile for inference
     * @param batchSize tiles per forward pass
     */
    public SegmentationValidator(List<Sample> images, int inputTile, int batchSize) {
        this.held = new HeldOut("SegmentationValidator", images, inputTile, batchSize);
    }

    @Override
    public Map<String, Double> validate(UNet network) {
        if (network.config().classes() != 2) {
            throw new IllegalArgumentException("SegmentationValidator: reports the ISBI membrane/cell scores of a "
                    + "2-class network, this one has " + network.config().classes() + " classes; validate it with "
                    + "ClassValidator (pixel accuracy, IoU and Dice per class)");
        }
        double[] sum = new double[5]; // pixel, Rand, information error, IoU membrane, IoU cell
        held.segment(network, (s, pred) -> {
            SegmentationMetrics m = SegmentationMetrics.evaluate(new LabelImage(s.width(), s.height(), pred),
                    new LabelImage(s.width(), s.height(), s.label()), MembraneLabel.ZERO, PredictedMembrane.SINGLETONS);
            sum[0] += m.pixelError();
            sum[1] += m.randError();
            sum[2] += m.scores().informationError();
            sum[3] += m.overlap().iou()[0];
            sum[4] += m.overlap().iou()[1];
        });
        int n = held.images().size();
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("pixel_error", sum[0] / n);
        r.put("rand_error", sum[1] / n);
        r.put("info_error", sum[2] / n);
        r.put("iou_membrane", sum[3] / n);
        r.put("iou_cell", sum[4] / n);
        return r;
    }
}
