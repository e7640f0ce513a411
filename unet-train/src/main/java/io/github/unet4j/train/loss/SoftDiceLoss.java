package io.github.unet4j.train.loss;

import io.github.unet4j.core.ops.Softmax;
import java.util.OptionalInt;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Soft Dice loss: {@code 1 - D_c} averaged over classes {@code c}, with
 * {@code D_c = (2 sum_x p_c(x) g_c(x) + s) / (sum_x p_c(x) + sum_x g_c(x) + s)}.
 *
 * <p>{@code p} is the softmax of the logits over the class axis ({@code K >= 2}) or, for one
 * channel ({@code K = 1}), the sigmoid, whose single channel is the foreground; {@code g} is the
 * one-hot target (or, for one channel, the target itself, in {@code [0, 1]}). {@code s} is the
 * smoothing term, which keeps a class absent from both prediction and target at {@code D = 1}
 * rather than {@code 0/0}.
 *
 * <p>Reduction: sums run over all pixels of the whole batch ({@code perImage = false}, one
 * {@code D_c} per class) or over each image ({@code perImage = true}, one {@code D_c} per image
 * and class); the loss is the mean of {@code 1 - D_c} over these terms, leaving out class 0 when
 * {@code excludeBackground} is set (only for {@code K >= 2}). Pixels carrying the ignore label do
 * not enter any sum. Per-pixel weights, if given, multiply each pixel's {@code p} and {@code g}
 * in every sum.
 *
 * @param smooth            smoothing term {@code s}, finite and {@code > 0} (default 1)
 * @param excludeBackground leave class 0 out of the average (has no effect for one channel)
 * @param perImage          one Dice term per image instead of one per class over the batch
 * @param ignoreLabel       a target value whose pixels are left out, or empty
 */
public record SoftDiceLoss(double smooth, boolean excludeBackground, boolean perImage, OptionalInt ignoreLabel)
        implements Loss {

    private static final String NAME = "SoftDiceLoss";

    /** Checks the fields. */
    public SoftDiceLoss {
        if (!(smooth > 0 && smooth < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(NAME + ": smooth must be finite and > 0, got " + smooth);
        }
        if (ignoreLabel == null) {
            throw new IllegalArgumentException(NAME + ": ignoreLabel must not be null (use OptionalInt.empty())");
        }
    }

    /** The default: smoothing 1, background included, sums over the whole batch, no ignore label. */
    public SoftDiceLoss() {
        this(1.0, false, false, OptionalInt.empty());
    }

    /**
     * @param newSmooth smoothing term, finite and {@code > 0}
     * @return this loss with another smoothing term
     */
    public SoftDiceLoss withSmooth(double newSmooth) {
        return new SoftDiceLoss(newSmooth, excludeBackground, perImage, ignoreLabel);
    }

    /**
     * @param exclude whether class 0 is left out of the average
     * @return this loss with the background setting changed
     */
    public SoftDiceLoss withExcludeBackground(boolean exclude) {
        return new SoftDiceLoss(smooth, exclude, perImage, ignoreLabel);
    }

    /**
     * @param newPerImage whether each image gets its own Dice terms
     * @return this loss with the aggregation changed
     */
    public SoftDiceLoss withPerImage(boolean newPerImage) {
        return new SoftDiceLoss(smooth, excludeBackground, newPerImage, ignoreLabel);
    }

    /**
     * @param label target value whose pixels are left out
     * @return this loss with an ignore label
     */
    public SoftDiceLoss withIgnoreLabel(int label) {
        return new SoftDiceLoss(smooth, excludeBackground, perImage, OptionalInt.of(label));
    }

    /**
     * {@inheritDoc}
     *
     * <p>For {@code K >= 2} the target holds class ids {@code 0..K-1}; for {@code K = 1} values
     * in {@code [0, 1]}.
     */
    @Override
    public LossResult compute(INDArray logits, INDArray target, INDArray weights) {
        Pixels.requireLogits(NAME, logits);
        int k = (int) logits.size(1);
        boolean sigmoid = k == 1;
        if (sigmoid && ignoreLabel.isPresent() && (ignoreLabel.getAsInt() == 0 || ignoreLabel.getAsInt() == 1)) {
            throw new IllegalArgumentException(NAME + ": ignore label " + ignoreLabel.getAsInt()
                    + " is a real target value of a one-channel output; choose another (for example 255)");
        }
        Pixels px = Pixels.of(NAME, logits, target, weights, ignoreLabel,
                sigmoid ? Pixels.TargetKind.UNIT_INTERVAL : Pixels.TargetKind.CLASS_IDS);
        INDArray p;
        INDArray g;
        if (sigmoid) {
            p = Transforms.sigmoid(logits, true);
            g = px.target().reshape(logits.shape());
        } else {
            p = Transforms.exp(Softmax.log(logits), false);
            g = LossMath.oneHot(px.target(), k, logits.dataType());
        }
        INDArray m = px.weight();
        int[] dims = perImage ? new int[] {2, 3} : new int[] {0, 2, 3};
        INDArray pm = p.mul(m);
        // Per (image,) class: [N or 1, K, 1, 1], broadcasting back over pixels below.
        INDArray intersection = pm.mul(g).sum(true, dims);
        INDArray denominator = pm.sum(true, dims).addi(g.mul(m).sum(true, dims)).addi(smooth);
        INDArray dice = intersection.muli(2).addi(smooth).divi(denominator);

        int first = !sigmoid && excludeBackground ? 1 : 0;
        INDArray counted = dice.get(NDArrayIndex.all(), NDArrayIndex.interval(first, k), NDArrayIndex.all(),
                NDArrayIndex.all());
        long terms = counted.length();
        double value = 1.0 - LossMath.sum(counted) / terms;

        // dD_c/dp_c(x) = m(x) (2 g_c(x) - D_c) / denominator_c; the loss is -mean(D).
        INDArray dLdp = g.mul(2).subi(dice).divi(denominator).muli(m).muli(-1.0 / terms);
        if (first == 1) {
            dLdp.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
        }
        INDArray grad;
        if (sigmoid) {
            grad = dLdp.muli(p.mul(p.rsub(1.0)));
        } else {
            // Softmax Jacobian: dL/dz_k = p_k (dL/dp_k - sum_j p_j dL/dp_j).
            INDArray inner = p.mul(dLdp).sum(true, 1);
            grad = dLdp.subi(inner).muli(p);
        }
        return new LossResult(value, grad);
    }
}
