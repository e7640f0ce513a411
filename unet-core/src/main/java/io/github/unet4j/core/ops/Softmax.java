package io.github.unet4j.core.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Softmax over the class axis 1 of NCHW logits, for the losses and for inference. */
public final class Softmax {
    private Softmax() {
    }

    /**
     * Log-softmax along axis 1, computed as {@code z - max - log(sum(exp(z - max)))}.
     *
     * <p>Not the ND4J {@code log_softmax} op: in 1.0.0-M2.1 it takes the log of the softmax, so a
     * class more than about 104 (FLOAT) or 745 (DOUBLE) below the largest comes out as
     * {@code -Infinity}, and a loss on it as infinite. Nor {@code softmax}: its oneDNN helper is
     * wrong for float NCHW along axis 1. Shifting by the maximum keeps every exponent {@code <= 0}
     * and leaves the large negative values as they are.
     *
     * @param z {@code [N, K, H, W]} logits
     * @return a new array of log-probabilities, same shape and type
     */
    public static INDArray log(INDArray z) {
        INDArray shifted = z.sub(z.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subi(logSum);
    }

    /**
     * Class probabilities, {@code exp(log(z))}: each pixel's values sum to 1 over axis 1.
     *
     * @param z {@code [N, K, H, W]} logits
     * @return a new array of probabilities, same shape and type
     */
    public static INDArray probabilities(INDArray z) {
        return Transforms.exp(log(z), false);
    }
}
