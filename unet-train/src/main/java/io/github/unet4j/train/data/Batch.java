package io.github.unet4j.train.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training batch.
 *
 * @param input  images {@code [B, C, inH, inW]}
 * @param target class ids {@code [B, outH, outW]}
 * @param weight loss weights {@code [B, outH, outW]} (ones where no weight map is given)
 */
public record Batch(INDArray input, INDArray target, INDArray weight) {
}
