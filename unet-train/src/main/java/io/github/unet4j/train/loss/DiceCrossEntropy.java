package io.github.unet4j.train.loss;

import java.util.OptionalInt;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weighted sum of a cross-entropy and a soft Dice loss:
 * {@code L = crossEntropyWeight * CE + diceWeight * Dice}, with the gradients summed the same way.
 *
 * <p>The per-pixel weights passed to {@link #compute(INDArray, INDArray, INDArray)} go to the
 * cross-entropy term only: the paper's weight map is a device for the cross-entropy, and inside
 * Dice it would change what overlap means. Each term reduces as its own Javadoc states. When
 * the cross-entropy is a {@link WeightedCrossEntropy} or {@link BinaryCrossEntropy}, its ignore
 * label must equal the Dice term's, so both leave out the same pixels.
 *
 * @param crossEntropy       the cross-entropy term
 * @param dice               the Dice term
 * @param crossEntropyWeight factor of the cross-entropy, finite and {@code >= 0} (default 1)
 * @param diceWeight         factor of the Dice loss, finite and {@code >= 0} (default 1)
 */
public record DiceCrossEntropy(Loss crossEntropy, SoftDiceLoss dice, double crossEntropyWeight, double diceWeight)
        implements Loss {

    private static final String NAME = "DiceCrossEntropy";

    /** Checks the fields. */
    public DiceCrossEntropy {
        if (crossEntropy == null || dice == null) {
            throw new IllegalArgumentException(NAME + ": crossEntropy and dice must not be null");
        }
        if (!(crossEntropyWeight >= 0 && crossEntropyWeight < Double.POSITIVE_INFINITY)
                || !(diceWeight >= 0 && diceWeight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(NAME + ": weights must be finite and >= 0, got crossEntropyWeight "
                    + crossEntropyWeight + ", diceWeight " + diceWeight);
        }
        if (crossEntropyWeight == 0 && diceWeight == 0) {
            throw new IllegalArgumentException(NAME + ": crossEntropyWeight and diceWeight are both 0");
        }
        OptionalInt ceIgnore = crossEntropy instanceof WeightedCrossEntropy w ? w.ignoreLabel()
                : crossEntropy instanceof BinaryCrossEntropy b ? b.ignoreLabel() : dice.ignoreLabel();
        if (!ceIgnore.equals(dice.ignoreLabel())) {
            throw new IllegalArgumentException(NAME + ": the cross-entropy's ignore label " + ceIgnore
                    + " differs from the Dice term's " + dice.ignoreLabel());
        }
    }

    /**
     * Softmax cross-entropy plus soft Dice for {@code K >= 2} classes, weighted 1:1, with their
     * defaults.
     *
     * @return the combined loss
     */
    public static DiceCrossEntropy multiClass() {
        return new DiceCrossEntropy(new WeightedCrossEntropy(), new SoftDiceLoss(), 1.0, 1.0);
    }

    /**
     * Binary cross-entropy plus soft Dice for one sigmoid channel, weighted 1:1, with their
     * defaults.
     *
     * @return the combined loss
     */
    public static DiceCrossEntropy binary() {
        return new DiceCrossEntropy(new BinaryCrossEntropy(), new SoftDiceLoss(), 1.0, 1.0);
    }

    /**
     * @param newCrossEntropyWeight factor of the cross-entropy
     * @param newDiceWeight         factor of the Dice loss
     * @return this loss with other factors
     */
    public DiceCrossEntropy withWeights(double newCrossEntropyWeight, double newDiceWeight) {
        return new DiceCrossEntropy(crossEntropy, dice, newCrossEntropyWeight, newDiceWeight);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code weights} reach the cross-entropy only.
     */
    @Override
    public LossResult compute(INDArray logits, INDArray target, INDArray weights) {
        LossResult ce = crossEntropy.compute(logits, target, weights);
        LossResult d = dice.compute(logits, target, null);
        INDArray grad = ce.gradient().muli(crossEntropyWeight).addi(d.gradient().muli(diceWeight));
        return new LossResult(crossEntropyWeight * ce.value() + diceWeight * d.value(), grad);
    }
}
