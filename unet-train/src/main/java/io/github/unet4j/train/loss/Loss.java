package io.github.unet4j.train.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A segmentation loss on raw network outputs, returning its value and its gradient.
 *
 * <p>Inputs, all in NCHW layout:
 * <ul>
 *   <li>{@code logits} {@code [N, K, H, W]}: the network output before any softmax or sigmoid,
 *       FLOAT or DOUBLE;</li>
 *   <li>{@code target} {@code [N, H, W]}: per-pixel class ids {@code 0..K-1} (or, for
 *       one-channel losses, 0/1 foreground values), of any numeric data type;</li>
 *   <li>{@code weights} {@code [N, H, W]} or {@code null}: a non-negative per-pixel weight,
 *       such as the weight map {@code w(x)} of the U-Net paper.</li>
 * </ul>
 * How the per-pixel terms are reduced (summed or averaged, and over what) is stated by each
 * implementation. Implementations are immutable and do not keep references to their inputs;
 * the gradient is a new array.
 *
 * <p>A training step is {@code LossResult r = loss.compute(net.forward(x), y, w);
 * net.backward(r.gradient());}.
 */
public interface Loss {

    /**
     * Computes the loss and {@code dL/dLogits}.
     *
     * @param logits  {@code [N, K, H, W]} network outputs, FLOAT or DOUBLE
     * @param target  {@code [N, H, W]} targets
     * @param weights {@code [N, H, W]} non-negative per-pixel weights, or {@code null} for all ones
     * @return the loss value and its gradient, shaped and typed like {@code logits}
     * @throws IllegalArgumentException if a shape, a data type or a target value is invalid; the
     *                                  message names the loss, what was given and what was expected
     */
    LossResult compute(INDArray logits, INDArray target, INDArray weights);

    /**
     * Computes the loss with every pixel weighted 1.
     *
     * @param logits {@code [N, K, H, W]} network outputs, FLOAT or DOUBLE
     * @param target {@code [N, H, W]} targets
     * @return the loss value and its gradient
     * @throws IllegalArgumentException as {@link #compute(INDArray, INDArray, INDArray)}
     */
    default LossResult compute(INDArray logits, INDArray target) {
        return compute(logits, target, null);
    }
}
