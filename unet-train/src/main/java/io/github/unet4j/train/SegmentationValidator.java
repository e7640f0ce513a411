package io.github.unet4j.train;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.infer.OverlapTile;
import io.github.unet4j.core.infer.UNetTileModel;
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
    private final List<Sample> images;
    private final int inputTile;
    private final int batchSize;

    /**
     * @param images    held-out samples with class labels (0 membrane, 1 cell)
     * @param inputTile network input tile for inference
     * @param batchSize tiles per forward pass
     */
    public SegmentationValidator(List<Sample> images, int inputTile, int batchSize) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("SegmentationValidator: no validation images");
        }
        this.images = List.copyOf(images);
        this.inputTile = inputTile;
        this.batchSize = batchSize;
    }

    @Override
    public Map<String, Double> validate(UNet network) {
        if (network.config().classes() != 2) {
            throw new IllegalArgumentException("SegmentationValidator: reports the ISBI membrane/cell scores of a "
                    + "2-class network, this one has " + network.config().classes() + " classes; validate it with "
                    + "a Validator of your own (per-class IoU and Dice are in train.metrics)");
        }
        OverlapTile tiler = new OverlapTile(UNetTileModel.of(network, inputTile), batchSize);
        double pixel = 0;
        double rand = 0;
        double info = 0;
        double iouMembrane = 0;
        double iouCell = 0;
        for (Sample s : images) {
            int[] pred = OverlapTile.argmax(tiler.predict(s.channels(), s.width(), s.height()));
            SegmentationMetrics m = SegmentationMetrics.evaluate(new LabelImage(s.width(), s.height(), pred),
                    new LabelImage(s.width(), s.height(), s.label()), MembraneLabel.ZERO, PredictedMembrane.SINGLETONS);
            pixel += m.pixelError();
            rand += m.randError();
            info += m.scores().informationError();
            iouMembrane += m.overlap().iou()[0];
            iouCell += m.overlap().iou()[1];
        }
        int n = images.size();
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("pixel_error", pixel / n);
        r.put("rand_error", rand / n);
        r.put("info_error", info / n);
        r.put("iou_membrane", iouMembrane / n);
        r.put("iou_cell", iouCell / n);
        return r;
    }
}
