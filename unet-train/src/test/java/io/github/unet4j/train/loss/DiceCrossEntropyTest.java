package io.github.unet4j.train.loss;

import static io.github.unet4j.train.loss.WeightedCrossEntropyTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.testing.GradientCheck;
import io.github.unet4j.core.testing.TestTensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DiceCrossEntropyTest {

    @Test
    void isTheWeightedSumOfItsTermsWithPixelWeightsOnlyInTheCrossEntropy() {
        INDArray z = LossFixtures.logits(1, DataType.DOUBLE, 2, 3, 4, 4);
        INDArray t = LossFixtures.classIds(2, 3, 2, 4, 4);
        INDArray w = LossFixtures.weights(3, 2, 4, 4);
        LossResult ce = new WeightedCrossEntropy().compute(z, t, w);
        LossResult dice = new SoftDiceLoss().compute(z, t);
        LossResult both = DiceCrossEntropy.multiClass().compute(z, t, w);
        assertEquals(ce.value() + dice.value(), both.value(), 1e-14);
        assertTrue(TestTensors.relativeNormError(both.gradient(), ce.gradient().add(dice.gradient())) < 1e-14);
        LossResult scaled = DiceCrossEntropy.multiClass().withWeights(0.25, 2).compute(z, t, w);
        assertEquals(0.25 * ce.value() + 2 * dice.value(), scaled.value(), 1e-14);
        assertTrue(TestTensors.relativeNormError(scaled.gradient(),
                ce.gradient().mul(0.25).add(dice.gradient().mul(2))) < 1e-14);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray z = LossFixtures.logits(4, DataType.DOUBLE, 2, 3, 3, 3);
        INDArray t = LossFixtures.classIds(5, 3, 2, 3, 3);
        INDArray w = LossFixtures.weights(6, 2, 3, 3);
        GradientCheck.Result r = LossFixtures.check(DiceCrossEntropy.multiClass().withWeights(0.7, 1.3), z, t, w);
        assertTrue(r.maxRelativeError() < 1e-4, r.toString());

        INDArray z1 = LossFixtures.logits(7, DataType.DOUBLE, 2, 1, 3, 3);
        INDArray y = LossFixtures.classIds(8, 2, 2, 3, 3);
        r = LossFixtures.check(DiceCrossEntropy.binary(), z1, y, w);
        assertTrue(r.maxRelativeError() < 1e-4, r.toString());
    }

    @Test
    void badConfigurationsGiveClearErrors() {
        String m = message(() -> DiceCrossEntropy.multiClass().withWeights(0, 0));
        assertTrue(m.contains("DiceCrossEntropy") && m.contains("both 0"), m);
        m = message(() -> DiceCrossEntropy.multiClass().withWeights(-1, 1));
        assertTrue(m.contains("finite and >= 0"), m);
        m = message(() -> new DiceCrossEntropy(new WeightedCrossEntropy().withIgnoreLabel(255), new SoftDiceLoss(), 1,
                1));
        assertTrue(m.contains("ignore label") && m.contains("255"), m);
        m = message(() -> new DiceCrossEntropy(null, new SoftDiceLoss(), 1, 1));
        assertTrue(m.contains("must not be null"), m);
    }
}
