package io.github.unet4j.train.loss;

import static io.github.unet4j.train.loss.WeightedCrossEntropyTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.testing.GradientCheck;
import io.github.unet4j.core.testing.TestTensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

class BinaryCrossEntropyTest {

    private static final BinaryCrossEntropy BCE = new BinaryCrossEntropy();

    private static INDArray binaryTarget(long seed, long n, long h, long w) {
        return LossFixtures.classIds(seed, 2, n, h, w);
    }

    @Test
    void knownAnswer() {
        // z = (0.3, -1.2), y = (1, 0): -log s(0.3) = log(1 + e^-0.3); -log(1 - s(-1.2)) = log(1 + e^-1.2).
        double l0 = Math.log(1 + Math.exp(-0.3));
        double l1 = Math.log(1 + Math.exp(-1.2));
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double tol = dt == DataType.FLOAT ? 1e-6 : 1e-14;
            INDArray z = Nd4j.createFromArray(0.3, -1.2).reshape(1, 1, 1, 2).castTo(dt);
            INDArray y = Nd4j.createFromArray(1, 0).reshape(1, 1, 2);
            LossResult r = BCE.compute(z, y);
            assertEquals((l0 + l1) / 2, r.value(), tol);
            assertEquals(l0 + l1, BCE.withReduction(Reduction.SUM).compute(z, y).value(), tol);
            assertEquals((1 / (1 + Math.exp(-0.3)) - 1) / 2, r.gradient().getDouble(0, 0, 0, 0), tol);
            assertEquals(1 / (1 + Math.exp(1.2)) / 2, r.gradient().getDouble(0, 0, 0, 1), tol);
        }
    }

    @Test
    void equalsTwoClassSoftmaxCrossEntropyWithLogitsZeroAndZ() {
        INDArray z = LossFixtures.logits(1, DataType.DOUBLE, 2, 1, 3, 3);
        INDArray y = binaryTarget(2, 2, 3, 3);
        INDArray w = LossFixtures.weights(3, 2, 3, 3);
        INDArray two = Nd4j.concat(1, Nd4j.zerosLike(z), z);
        LossResult b = BCE.compute(z, y, w);
        LossResult c = new WeightedCrossEntropy().compute(two, y, w);
        assertEquals(c.value(), b.value(), 1e-13);
        // d/dz of the two-class form is the class-1 channel's gradient.
        assertTrue(TestTensors.relativeNormError(b.gradient(), c.gradient().get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all())) < 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray z = LossFixtures.logits(4, DataType.DOUBLE, 2, 1, 3, 4);
        INDArray y = binaryTarget(5, 2, 3, 4).castTo(DataType.DOUBLE);
        y.putScalar(new long[] {0, 0, 0}, 255);
        y.putScalar(new long[] {1, 2, 1}, 0.3); // a soft label
        INDArray w = LossFixtures.weights(6, 2, 3, 4);
        for (BinaryCrossEntropy loss : List.of(BCE.withIgnoreLabel(255),
                BCE.withIgnoreLabel(255).withReduction(Reduction.SUM))) {
            for (INDArray weights : new INDArray[] {null, w}) {
                GradientCheck.Result r = LossFixtures.check(loss, z, y, weights);
                assertTrue(r.maxRelativeError() < 1e-4, loss + ": " + r);
            }
        }
    }

    @Test
    void floatAgreesWithDouble() {
        INDArray z = LossFixtures.logits(7, DataType.DOUBLE, 2, 1, 8, 8);
        INDArray y = binaryTarget(8, 2, 8, 8);
        INDArray w = LossFixtures.weights(9, 2, 8, 8);
        LossResult d = BCE.compute(z, y, w);
        LossResult f = BCE.compute(z.castTo(DataType.FLOAT), y, w);
        assertEquals(d.value(), f.value(), 1e-5 * d.value());
        assertTrue(TestTensors.relativeNormError(f.gradient(), d.gradient()) < 1e-5);
    }

    @Test
    void ignoredPixelsGetNoLossOrGradient() {
        INDArray z = LossFixtures.logits(10, DataType.DOUBLE, 1, 1, 1, 4);
        INDArray y = Nd4j.createFromArray(1, 255, 0, 255).reshape(1, 1, 4);
        LossResult r = BCE.withIgnoreLabel(255).compute(z, y);
        INDArray zKept = Nd4j.createFromArray(z.getDouble(0), z.getDouble(2)).reshape(1, 1, 1, 2);
        assertEquals(BCE.compute(zKept, Nd4j.createFromArray(1, 0).reshape(1, 1, 2)).value(), r.value(), 1e-14);
        assertEquals(0.0, r.gradient().getDouble(0, 0, 0, 1), 0.0);
        assertEquals(0.0, r.gradient().getDouble(0, 0, 0, 3), 0.0);
    }

    @Test
    void weightsScalePixels() {
        INDArray z = LossFixtures.logits(11, DataType.DOUBLE, 1, 1, 2, 2);
        INDArray y = binaryTarget(12, 1, 2, 2);
        INDArray w = Nd4j.ones(DataType.DOUBLE, 1, 2, 2);
        w.putScalar(3, 3.0);
        LossResult plain = BCE.compute(z, y);
        LossResult weighted = BCE.compute(z, y, w);
        assertEquals(3 * plain.gradient().getDouble(0, 0, 1, 1), weighted.gradient().getDouble(0, 0, 1, 1), 1e-15);
        assertEquals(plain.gradient().getDouble(0, 0, 0, 0), weighted.gradient().getDouble(0, 0, 0, 0), 0.0);
    }

    @Test
    void stableForHugeLogits() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray z = Nd4j.createFromArray(1000.0, -1000.0).reshape(1, 1, 1, 2).castTo(dt);
            LossResult wrong = BCE.withReduction(Reduction.SUM).compute(z, Nd4j.createFromArray(0, 1).reshape(1, 1, 2));
            assertEquals(2000.0, wrong.value(), 0.0, dt.toString());
            assertTrue(!BooleanIndexing.or(wrong.gradient(), Conditions.isNan()));
            assertEquals(1.0, wrong.gradient().getDouble(0), 0.0);
            assertEquals(-1.0, wrong.gradient().getDouble(1), 0.0);
            LossResult right = BCE.compute(z, Nd4j.createFromArray(1, 0).reshape(1, 1, 2));
            assertEquals(0.0, right.value(), 0.0, dt.toString());
        }
    }

    @Test
    void badInputsGiveClearErrors() {
        INDArray z = LossFixtures.logits(13, DataType.DOUBLE, 1, 2, 2, 2);
        String m = message(() -> BCE.compute(z, binaryTarget(1, 1, 2, 2)));
        assertTrue(m.contains("BinaryCrossEntropy") && m.contains("K = 2") && m.contains("[N, 1, H, W]"), m);

        INDArray z1 = LossFixtures.logits(13, DataType.DOUBLE, 1, 1, 2, 2);
        INDArray y = Nd4j.createFromArray(0, 1, 2, 1).reshape(1, 2, 2);
        m = message(() -> BCE.compute(z1, y));
        assertTrue(m.contains("value 2") && m.contains("[0, 1]") && m.contains("(n=0, y=1, x=0)"), m);

        m = message(() -> BCE.compute(z1, Nd4j.zeros(1, 2, 3)));
        assertTrue(m.contains("[1, 2, 3]") && m.contains("[1, 2, 2]"), m);

        assertThrows(IllegalArgumentException.class, () -> BCE.withIgnoreLabel(0));
        assertThrows(IllegalArgumentException.class, () -> BCE.withIgnoreLabel(1));
    }
}
