package io.github.unet4j.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.ops.Softmax;
import io.github.unet4j.core.testing.GradientCheck;
import io.github.unet4j.core.testing.TestTensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;

class WeightedCrossEntropyTest {

    private static final WeightedCrossEntropy CE = new WeightedCrossEntropy();

    /** Two pixels, two classes: pixel 0 logits (2, 0) class 0; pixel 1 logits (0.5, 1.5) class 1. */
    private static INDArray tinyLogits(DataType dt) {
        // [N=1, K=2, H=1, W=2]: class 0 row then class 1 row.
        return Nd4j.createFromArray(2.0, 0.5, 0.0, 1.5).reshape(1, 2, 1, 2).castTo(dt);
    }

    private static INDArray tinyTarget() {
        return Nd4j.createFromArray(0, 1).reshape(1, 1, 2);
    }

    @Test
    void knownAnswerMeanAndSum() {
        // -log softmax by hand: pixel 0: log(e^2 + e^0) - 2; pixel 1: log(e^0.5 + e^1.5) - 1.5.
        double l0 = Math.log(Math.exp(2) + 1) - 2;
        double l1 = Math.log(Math.exp(0.5) + Math.exp(1.5)) - 1.5;
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double tol = dt == DataType.FLOAT ? 1e-6 : 1e-14;
            LossResult mean = CE.compute(tinyLogits(dt), tinyTarget());
            assertEquals((l0 + l1) / 2, mean.value(), tol);
            LossResult sum = CE.withReduction(Reduction.SUM).compute(tinyLogits(dt), tinyTarget());
            assertEquals(l0 + l1, sum.value(), tol);
            // Gradient (p - onehot) / M: p_1 at pixel 0 = 1 / (1 + e^2).
            double q0 = 1 / (1 + Math.exp(2));
            double q1 = 1 / (1 + Math.exp(1.0)); // p_0 at pixel 1
            INDArray g = mean.gradient();
            assertEquals(dt, g.dataType());
            assertEquals(-q0 / 2, g.getDouble(0, 0, 0, 0), tol);
            assertEquals(q0 / 2, g.getDouble(0, 1, 0, 0), tol);
            assertEquals(q1 / 2, g.getDouble(0, 0, 0, 1), tol);
            assertEquals(-q1 / 2, g.getDouble(0, 1, 0, 1), tol);
        }
    }

    @Test
    void meanDividesByPixelCountNotWeightSum() {
        double l0 = Math.log(Math.exp(2) + 1) - 2;
        double l1 = Math.log(Math.exp(0.5) + Math.exp(1.5)) - 1.5;
        INDArray w = Nd4j.createFromArray(3.0, 0.5).reshape(1, 1, 2);
        LossResult r = CE.compute(tinyLogits(DataType.DOUBLE), tinyTarget(), w);
        assertEquals((3 * l0 + 0.5 * l1) / 2, r.value(), 1e-14);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray z = LossFixtures.logits(1, DataType.DOUBLE, 2, 3, 3, 4);
        INDArray t = LossFixtures.classIds(2, 3, 2, 3, 4);
        INDArray w = LossFixtures.weights(3, 2, 3, 4);
        for (WeightedCrossEntropy loss : List.of(CE, CE.withReduction(Reduction.SUM), CE.withIgnoreLabel(1))) {
            for (INDArray weights : new INDArray[] {null, w}) {
                GradientCheck.Result r = LossFixtures.check(loss, z, t, weights);
                assertTrue(r.maxRelativeError() < 1e-4, loss + ": " + r);
                assertEquals(z.length(), r.checked());
            }
        }
    }

    @Test
    void gradientCheckCatchesAWrongGradient() {
        INDArray z = LossFixtures.logits(1, DataType.DOUBLE, 1, 3, 2, 2);
        INDArray t = LossFixtures.classIds(2, 3, 1, 2, 2);
        Loss wrong = (l, tt, w) -> {
            LossResult r = CE.compute(l, tt, w);
            return new LossResult(r.value(), r.gradient().muli(1.01));
        };
        assertTrue(LossFixtures.check(wrong, z, t, null).maxRelativeError() > 1e-3);
    }

    @Test
    void floatAgreesWithDouble() {
        INDArray z = LossFixtures.logits(4, DataType.DOUBLE, 2, 4, 8, 8);
        INDArray t = LossFixtures.classIds(5, 4, 2, 8, 8);
        INDArray w = LossFixtures.weights(6, 2, 8, 8);
        LossResult d = CE.compute(z, t, w);
        LossResult f = CE.compute(z.castTo(DataType.FLOAT), t, w.castTo(DataType.FLOAT));
        assertEquals(DataType.FLOAT, f.gradient().dataType());
        assertEquals(d.value(), f.value(), 1e-5 * Math.abs(d.value()));
        assertTrue(TestTensors.relativeNormError(f.gradient(), d.gradient()) < 1e-5);
    }

    @Test
    void targetDataTypeDoesNotMatter() {
        INDArray z = LossFixtures.logits(7, DataType.DOUBLE, 1, 3, 4, 4);
        INDArray t = LossFixtures.classIds(8, 3, 1, 4, 4);
        double ref = CE.compute(z, t).value();
        for (DataType dt : new DataType[] {DataType.LONG, DataType.BYTE, DataType.FLOAT, DataType.DOUBLE}) {
            assertEquals(ref, CE.compute(z, t.castTo(dt)).value(), 1e-14, dt.toString());
        }
    }

    @Test
    void ignoredPixelsAreLikeRemovedPixels() {
        // One image row of 6 pixels; pixels 1 and 4 carry the ignore label 255.
        INDArray z = LossFixtures.logits(9, DataType.DOUBLE, 1, 3, 1, 6);
        INDArray t = Nd4j.createFromArray(0, 255, 2, 1, 255, 0).reshape(1, 1, 6);
        INDArray w = LossFixtures.weights(10, 1, 1, 6);
        long[] kept = {0, 2, 3, 5};
        INDArray zKept = z.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.indices(kept)).dup();
        INDArray tKept = Nd4j.createFromArray(0, 2, 1, 0).reshape(1, 1, 4);
        INDArray wKept = w.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.indices(kept)).dup();
        WeightedCrossEntropy loss = CE.withIgnoreLabel(255);
        for (Reduction red : Reduction.values()) {
            LossResult all = loss.withReduction(red).compute(z, t, w);
            LossResult removed = CE.withReduction(red).compute(zKept, tKept, wKept);
            assertEquals(removed.value(), all.value(), 1e-14, red.toString());
            for (int i = 0; i < kept.length; i++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(removed.gradient().getDouble(0, k, 0, i), all.gradient().getDouble(0, k, 0, kept[i]),
                            1e-15);
                }
            }
            for (long ignored : new long[] {1, 4}) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(0.0, all.gradient().getDouble(0, k, 0, ignored), 0.0);
                }
            }
        }
    }

    @Test
    void ignoreLabelInsideTheClassRangeDropsThatClass() {
        INDArray z = LossFixtures.logits(11, DataType.DOUBLE, 1, 3, 1, 4);
        INDArray t = Nd4j.createFromArray(0, 1, 2, 1).reshape(1, 1, 4);
        LossResult r = CE.withIgnoreLabel(1).compute(z, t);
        for (int k = 0; k < 3; k++) {
            assertEquals(0.0, r.gradient().getDouble(0, k, 0, 1), 0.0);
            assertEquals(0.0, r.gradient().getDouble(0, k, 0, 3), 0.0);
        }
        double l0 = -Softmax.log(z).getDouble(0, 0, 0, 0);
        double l2 = -Softmax.log(z).getDouble(0, 2, 0, 2);
        assertEquals((l0 + l2) / 2, r.value(), 1e-14);
    }

    @Test
    void allPixelsIgnoredGivesZero() {
        INDArray z = LossFixtures.logits(12, DataType.DOUBLE, 1, 2, 2, 2);
        INDArray t = Nd4j.valueArrayOf(new long[] {1, 2, 2}, 7, DataType.INT);
        LossResult r = CE.withIgnoreLabel(7).compute(z, t);
        assertEquals(0.0, r.value(), 0.0);
        assertEquals(0.0, r.gradient().amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void weightsScalePerPixelContributions() {
        INDArray z = LossFixtures.logits(13, DataType.DOUBLE, 1, 3, 2, 3);
        INDArray t = LossFixtures.classIds(14, 3, 1, 2, 3);
        LossResult plain = CE.withReduction(Reduction.SUM).compute(z, t);
        INDArray w = Nd4j.ones(DataType.DOUBLE, 1, 2, 3);
        w.putScalar(new long[] {0, 1, 2}, 4.0);
        LossResult weighted = CE.withReduction(Reduction.SUM).compute(z, t, w);
        double pixel = -Softmax.log(z).getDouble(0, t.getInt(0, 1, 2), 1, 2);
        assertEquals(plain.value() + 3 * pixel, weighted.value(), 1e-12);
        for (int k = 0; k < 3; k++) {
            assertEquals(4 * plain.gradient().getDouble(0, k, 1, 2), weighted.gradient().getDouble(0, k, 1, 2), 1e-15);
            assertEquals(plain.gradient().getDouble(0, k, 0, 0), weighted.gradient().getDouble(0, k, 0, 0), 0.0);
        }
        // A constant weight c scales the whole loss by c.
        LossResult scaled = CE.compute(z, t, Nd4j.valueArrayOf(new long[] {1, 2, 3}, 2.5));
        assertEquals(2.5 * CE.compute(z, t).value(), scaled.value(), 1e-12);
    }

    @Test
    void stableForHugeLogits() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            // Pixel 0 confidently right, pixel 1 confidently wrong.
            INDArray z = Nd4j.createFromArray(1000.0, 1000.0, -1000.0, -1000.0).reshape(1, 2, 1, 2).castTo(dt);
            INDArray t = Nd4j.createFromArray(0, 1).reshape(1, 1, 2);
            LossResult r = CE.withReduction(Reduction.SUM).compute(z, t);
            assertEquals(2000.0, r.value(), 0.0, dt.toString());
            assertTrue(!BooleanIndexing.or(r.gradient(), Conditions.isNan())
                    && !BooleanIndexing.or(r.gradient(), Conditions.isInfinite()), dt.toString());
            assertEquals(1.0, r.gradient().getDouble(0, 0, 0, 1), 0.0);
            assertEquals(-1.0, r.gradient().getDouble(0, 1, 0, 1), 0.0);
        }
    }

    @Test
    void badInputsGiveClearErrors() {
        INDArray z = LossFixtures.logits(15, DataType.DOUBLE, 2, 3, 4, 5);
        INDArray t = LossFixtures.classIds(16, 3, 2, 4, 5);

        String m = message(() -> CE.compute(z.reshape(2, 3, 20), t));
        assertTrue(m.contains("WeightedCrossEntropy") && m.contains("[2, 3, 20]") && m.contains("rank 4"), m);

        m = message(() -> CE.compute(z, t.reshape(2, 5, 4)));
        assertTrue(m.contains("WeightedCrossEntropy") && m.contains("target") && m.contains("[2, 5, 4]")
                && m.contains("[2, 4, 5]") && m.contains("[2, 3, 4, 5]"), m);

        m = message(() -> CE.compute(z, t, Nd4j.ones(2, 4)));
        assertTrue(m.contains("weights") && m.contains("[2, 4]") && m.contains("[2, 4, 5]"), m);

        INDArray bad = t.dup();
        bad.putScalar(new long[] {1, 2, 3}, 3);
        m = message(() -> CE.compute(z, bad));
        assertTrue(m.contains("class id 3") && m.contains("K = 3") && m.contains("(n=1, y=2, x=3)"), m);
        // 3 is not rescued by an ignore label that differs from it.
        m = message(() -> CE.withIgnoreLabel(255).compute(z, bad));
        assertTrue(m.contains("class id 3") && m.contains("ignore label 255"), m);

        INDArray negative = t.dup();
        negative.putScalar(new long[] {0, 0, 1}, -1);
        m = message(() -> CE.compute(z, negative));
        assertTrue(m.contains("class id -1") && m.contains("(n=0, y=0, x=1)"), m);

        INDArray fractional = t.castTo(DataType.DOUBLE);
        fractional.putScalar(new long[] {0, 1, 1}, 0.5);
        m = message(() -> CE.compute(z, fractional));
        assertTrue(m.contains("non-integer") && m.contains("0.5"), m);

        INDArray negWeights = Nd4j.ones(DataType.DOUBLE, 2, 4, 5);
        negWeights.putScalar(new long[] {0, 3, 4}, -2);
        m = message(() -> CE.compute(z, t, negWeights));
        assertTrue(m.contains("weights must be >= 0") && m.contains("-2"), m);

        INDArray nanWeights = Nd4j.ones(DataType.DOUBLE, 2, 4, 5);
        nanWeights.putScalar(0, Double.NaN);
        m = message(() -> CE.compute(z, t, nanWeights));
        assertTrue(m.contains("NaN"), m);

        m = message(() -> CE.compute(z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all(),
                NDArrayIndex.all()).dup(), t));
        assertTrue(m.contains("K = 1") && m.contains("BinaryCrossEntropy"), m);

        m = message(() -> CE.compute(z.castTo(DataType.INT), t));
        assertTrue(m.contains("INT") && m.contains("FLOAT or DOUBLE"), m);

        m = message(() -> new WeightedCrossEntropy(null, java.util.OptionalInt.empty()));
        assertTrue(m.contains("reduction"), m);
    }

    static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
