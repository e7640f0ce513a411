package io.github.unet4j.train;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.infer.OverlapTile;
import io.github.unet4j.core.infer.UNetTileModel;
import io.github.unet4j.train.data.Sample;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The held-out images of a validator and how they are segmented: overlap-tile inference with
 * the network's current weights, each pixel's most probable class.
 *
 * @param images    held-out samples with class labels, at least one
 * @param inputTile network input tile for inference
 * @param batchSize tiles per forward pass
 */
record HeldOut(List<Sample> images, int inputTile, int batchSize) {

    /** Copies the list; needs at least one image. */
    HeldOut(String validator, List<Sample> images, int inputTile, int batchSize) {
        this(nonEmpty(validator, images), inputTile, batchSize);
    }

    private static List<Sample> nonEmpty(String validator, List<Sample> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException(validator + ": no validation images");
        }
        return List.copyOf(images);
    }

    /** @param network the network @param each called with every image and its predicted classes */
    void segment(UNet network, BiConsumer<Sample, int[]> each) {
        OverlapTile tiler = new OverlapTile(UNetTileModel.of(network, inputTile), batchSize);
        for (Sample s : images) {
            each.accept(s, OverlapTile.argmax(tiler.predict(s.channels(), s.width(), s.height())));
        }
    }
}
