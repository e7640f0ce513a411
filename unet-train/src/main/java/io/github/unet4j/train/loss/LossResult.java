package io.github.unet4j.train.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The value of a loss and its gradient with respect to the logits.
 *
 * @param value    the scalar loss
 * @param gradient {@code dL/dLogits}, the shape and data type of the logits; hand it to the
 *                 network's backward pass
 */
public record LossResult(double value, INDArray gradient) {

    /** Checks that the gradient is present. */
    public LossResult {
        if (gradient == null) {
            throw new IllegalArgumentException("LossResult: gradient must not be null");
        }
    }
}
