package io.github.unet4j.train.loss;

import io.github.unet4j.core.ops.Softmax;
import java.util.OptionalInt;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The pixel-wise weighted softmax cross-entropy of the U-Net paper (Ronneberger et al. 2015,
 * eq. 1): {@code E = -sum_x w(x) log p_{l(x)}(x)}, where {@code p_k(x)} is the softmax of the
 * logits over the class axis at pixel {@code x}, {@code l(x)} the true class and {@code w(x)} the
 * weight map (1 when no weights are given).
 *
 * <p>Reduction: {@link Reduction#SUM} returns {@code E}; {@link Reduction#MEAN} (the default)
 * returns {@code E / M}, where {@code M} is the number of pixels over the whole batch that do not
 * carry the ignore label; it does not divide by the sum of the weights. If every pixel is
 * ignored the loss and gradient are 0.
 *
 * <p>Gradient: {@code dL/dz_k(x) = w(x) (p_k(x) - [k = l(x)]) / M} (with {@code M = 1} for SUM),
 * and 0 at ignored pixels. The log-probabilities are computed with the max-shift, so logits of any
 * finite size give a finite loss.
 *
 * @param reduction   how pixel terms are reduced
 * @param ignoreLabel a class id whose pixels carry no loss and no gradient (for example unlabelled
 *                    pixels of partially annotated images), or empty; it may lie outside
 *                    {@code 0..K-1}
 */
public record WeightedCrossEntropy(Reduction reduction, OptionalInt ignoreLabel) implements Loss {

    private static final String NAME = "WeightedCrossEntropy";

    /** Checks that neither field is null. */
    public WeightedCrossEntropy {
        if (reduction == null) {
            throw new IllegalArgumentException(NAME + ": reduction must not be null");
        }
        if (ignoreLabel == null) {
            throw new IllegalArgumentException(NAME + ": ignoreLabel must not be null (use OptionalInt.empty())");
        }
    }

    /** The default: {@link Reduction#MEAN}, no ignore label. */
    public WeightedCrossEntropy() {
        this(Reduction.MEAN, OptionalInt.empty());
    }

    /**
     * @param newReduction how pixel terms are reduced
     * @return this loss with another reduction
     */
    public WeightedCrossEntropy withReduction(Reduction newReduction) {
        return new WeightedCrossEntropy(newReduction, ignoreLabel);
    }

    /**
     * @param label class id whose pixels are left out of loss, gradient and pixel count
     * @return this loss with an ignore label
     */
    public WeightedCrossEntropy withIgnoreLabel(int label) {
        return new WeightedCrossEntropy(reduction, OptionalInt.of(label));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Needs {@code K >= 2} classes; target values are integer class ids {@code 0..K-1} (or
     * the ignore label) in any numeric data type.
     */
    @Override
    public LossResult compute(INDArray logits, INDArray target, INDArray weights) {
        Pixels.requireLogits(NAME, logits);
        int k = (int) logits.size(1);
        if (k < 2) {
            throw new IllegalArgumentException(NAME + ": logits have K = " + k
                    + " class channel, expected K >= 2 (use BinaryCrossEntropy for one sigmoid channel)");
        }
        Pixels px = Pixels.of(NAME, logits, target, weights, ignoreLabel, Pixels.TargetKind.CLASS_IDS);
        INDArray logp = Softmax.log(logits);
        INDArray oneHot = LossMath.oneHot(px.target(), k, logits.dataType());
        // -log p of the true class, per pixel, weighted ([N, 1, H, W]).
        INDArray weightedNll = oneHot.mul(logp).sum(true, 1).negi().muli(px.weight());
        double norm = LossMath.normaliser(reduction, px.count());
        double value = LossMath.sum(weightedNll) / norm;
        INDArray grad = Transforms.exp(logp, false).subi(oneHot).muli(px.weight()).divi(norm);
        return new LossResult(value, grad);
    }
}
