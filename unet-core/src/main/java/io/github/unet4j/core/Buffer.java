package io.github.unet4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A named, non-trainable tensor of a layer's state, such as batch norm's running mean.
 * Saved in checkpoints; never seen by optimisers.
 *
 * @param name  path in the network, e.g. {@code inc.bn1.running_mean}
 * @param value the tensor, updated in place by its layer
 */
public record Buffer(String name, INDArray value) {
}
