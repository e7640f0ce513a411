package io.github.unet4j.train.loss;

import java.util.OptionalInt;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Binary cross-entropy on one sigmoid channel: per pixel
 * {@code -w(x) [y log s(z) + (1 - y) log(1 - s(z))]} with {@code s} the logistic sigmoid,
 * logits {@code [N, 1, H, W]} and targets {@code y} in {@code [0, 1]} (usually 0/1).
 *
 * <p>Computed in the stable form {@code max(z, 0) - z y + log(1 + exp(-|z|))}, which is finite
 * for any finite logit. Gradient: {@code w(x) (s(z) - y) / M}.
 *
 * <p>Reduction: {@link Reduction#SUM} sums over all counted pixels of the batch;
 * {@link Reduction#MEAN} (the default) divides by the number {@code M} of pixels not carrying the
 * ignore label, not by the sum of the weights. If every pixel is ignored the loss and gradient
 * are 0.
 *
 * @param reduction   how pixel terms are reduced
 * @param ignoreLabel a target value whose pixels carry no loss and no gradient, or empty; it
 *                    must not be 0 or 1
 */
public record BinaryCrossEntropy(Reduction reduction, OptionalInt ignoreLabel) implements Loss {

    private static final String NAME = "BinaryCrossEntropy";

    /** Checks the fields. */
    public BinaryCrossEntropy {
        if (reduction == null) {
            throw new IllegalArgumentException(NAME + ": reduction must not be null");
        }
        if (ignoreLabel == null) {
            throw new IllegalArgumentException(NAME + ": ignoreLabel must not be null (use OptionalInt.empty())");
        }
        if (ignoreLabel.isPresent() && (ignoreLabel.getAsInt() == 0 || ignoreLabel.getAsInt() == 1)) {
            throw new IllegalArgumentException(NAME + ": ignoreLabel " + ignoreLabel.getAsInt()
                    + " is a real target value; choose a label other than 0 and 1 (for example 255)");
        }
    }

    /** The default: {@link Reduction#MEAN}, no ignore label. */
    public BinaryCrossEntropy() {
        this(Reduction.MEAN, OptionalInt.empty());
    }

    /**
     * @param newReduction how pixel terms are reduced
     * @return this loss with another reduction
     */
    public BinaryCrossEntropy withReduction(Reduction newReduction) {
        return new BinaryCrossEntropy(newReduction, ignoreLabel);
    }

    /**
     * @param label target value whose pixels are left out, not 0 or 1
     * @return this loss with an ignore label
     */
    public BinaryCrossEntropy withIgnoreLabel(int label) {
        return new BinaryCrossEntropy(reduction, OptionalInt.of(label));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Needs logits {@code [N, 1, H, W]}; target values lie in {@code [0, 1]} (or are the
     * ignore label).
     */
    @Override
    public LossResult compute(INDArray logits, INDArray target, INDArray weights) {
        Pixels.requireLogits(NAME, logits);
        if (logits.size(1) != 1) {
            throw new IllegalArgumentException(NAME + ": logits have shape " + java.util.Arrays.toString(logits.shape())
                    + " with K = " + logits.size(1) + " channels, expected [N, 1, H, W] (use WeightedCrossEntropy"
                    + " for K >= 2)");
        }
        Pixels px = Pixels.of(NAME, logits, target, weights, ignoreLabel, Pixels.TargetKind.UNIT_INTERVAL);
        INDArray y = px.target().reshape(logits.shape());
        INDArray z = logits;
        // softplus(z) - z y, with softplus(z) = max(z, 0) + log(1 + exp(-|z|)) so exp never overflows.
        INDArray perPixel = Transforms.relu(z, true).subi(z.mul(y))
                .addi(Transforms.log1p(Transforms.exp(Transforms.abs(z, true).negi(), false), false))
                .muli(px.weight());
        double norm = LossMath.normaliser(reduction, px.count());
        double value = LossMath.sum(perPixel) / norm;
        INDArray grad = Transforms.sigmoid(z, true).subi(y).muli(px.weight()).divi(norm);
        return new LossResult(value, grad);
    }
}
