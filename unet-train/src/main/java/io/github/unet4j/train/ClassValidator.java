package io.github.unet4j.train;

import io.github.unet4j.core.UNet;
import io.github.unet4j.train.data.Sample;
import io.github.unet4j.train.metrics.ClassOverlap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation of a K-class network on held-out labelled images (class-id or instance labels):
 * segments each image by overlap-tile inference and reports, over all their pixels, the pixel
 * accuracy, the IoU of each class and the mean IoU and Dice over the classes present. Pixels
 * whose sample weight is 0 (an ignored label value) count in none of them.
 */
public final class ClassValidator implements Validator {
    private final HeldOut held;

    /**
     * @param images    held-out samples with class labels (weights, if any, 0 where ignored)
     * @param inputTile network input tile for inference
     * @param batchSize tiles per forward pass
     */
    public ClassValidator(List<Sample> images, int inputTile, int batchSize) {
        this.held = new HeldOut("ClassValidator", images, inputTile, batchSize);
    }

    @Override
    public Map<String, Double> validate(UNet network) {
        int k = network.config().classes();
        long[] both = new long[k];
        long[] predicted = new long[k];
        long[] truth = new long[k];
        held.segment(network, (s, pred) -> {
            int[] label = s.label();
            float[] w = s.hasWeight() ? s.weight() : null;
            for (int i = 0; i < pred.length; i++) {
                if (w != null && w[i] == 0f) {
                    continue;
                }
                if (label[i] < 0 || label[i] >= k) {
                    throw new IllegalArgumentException("ClassValidator: label " + label[i] + " is not a class of this "
                            + k + "-class network");
                }
                predicted[pred[i]]++;
                truth[label[i]]++;
                if (pred[i] == label[i]) {
                    both[label[i]]++;
                }
            }
        });
        long right = java.util.Arrays.stream(both).sum();
        long counted = java.util.Arrays.stream(truth).sum();
        ClassOverlap o = ClassOverlap.ofCounts(predicted, truth, both);
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("pixel_accuracy", counted == 0 ? Double.NaN : (double) right / counted);
        r.put("mean_iou", o.meanIou());
        r.put("mean_dice", o.meanDice());
        double[] iou = o.iou();
        for (int c = 0; c < k; c++) {
            r.put("iou_" + c, iou[c]);
        }
        return r;
    }
}
