package io.github.unet4j.train.loss;

import static io.github.unet4j.train.loss.WeightedCrossEntropyTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class SoftDiceLossTest {

    private static final SoftDiceLoss DICE = new SoftDiceLoss();

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void knownAnswerTwoClasses() {
        // Pixel 0 logits (2, 0) class 0; pixel 1 logits (0.5, 1.5) class 1; smoothing 1.
        double a = sigmoid(2);      // p_0 at pixel 0
        double b = sigmoid(-1);     // p_0 at pixel 1
        double d0 = (2 * a + 1) / (a + b + 1 + 1);
        double d1 = (2 * (1 - b) + 1) / ((1 - a) + (1 - b) + 1 + 1);
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double tol = dt == DataType.FLOAT ? 1e-6 : 1e-14;
            INDArray z = Nd4j.createFromArray(2.0, 0.5, 0.0, 1.5).reshape(1, 2, 1, 2).castTo(dt);
            INDArray t = Nd4j.createFromArray(0, 1).reshape(1, 1, 2);
            assertEquals(1 - (d0 + d1) / 2, DICE.compute(z, t).value(), tol);
            assertEquals(1 - d1, DICE.withExcludeBackground(true).compute(z, t).value(), tol);
            double d0s = (2 * a + 0.5) / (a + b + 1 + 0.5);
            double d1s = (2 * (1 - b) + 0.5) / ((1 - a) + (1 - b) + 1 + 0.5);
            assertEquals(1 - (d0s + d1s) / 2, DICE.withSmooth(0.5).compute(z, t).value(), tol);
        }
    }

    @Test
    void knownAnswerOneSigmoidChannel() {
        double p0 = sigmoid(0.3);
        double p1 = sigmoid(-1.2);
        double d = (2 * p0 + 1) / (p0 + p1 + 1 + 1);
        INDArray z = Nd4j.createFromArray(0.3, -1.2).reshape(1, 1, 1, 2);
        INDArray y = Nd4j.createFromArray(1, 0).reshape(1, 1, 2);
        LossResult r = DICE.compute(z, y);
        assertEquals(1 - d, r.value(), 1e-14);
        // excludeBackground has no effect on one channel: that channel is the foreground.
        assertEquals(r.value(), DICE.withExcludeBackground(true).compute(z, y).value(), 0.0);
        // dL/dz_0 = -(2 - d) / den * p0 (1 - p0), by hand.
        double den = p0 + p1 + 2;
        assertEquals(-(2 - d) / den * p0 * (1 - p0), r.gradient().getDouble(0), 1e-14);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray z = LossFixtures.logits(1, DataType.DOUBLE, 2, 3, 2, 3);
        INDArray t = LossFixtures.classIds(2, 3, 2, 2, 3).castTo(DataType.DOUBLE);
        t.putScalar(new long[] {1, 0, 2}, 9); // ignored when the ignore label is 9
        INDArray w = LossFixtures.weights(3, 2, 2, 3);
        SoftDiceLoss base = DICE.withIgnoreLabel(9);
        // Each option once, with and without weights (a forward pass costs a few ms: keep it small).
        Object[][] cases = {{base, w}, {base.withPerImage(true), null}, {base.withExcludeBackground(true), w},
            {base.withSmooth(1e-3).withPerImage(true), w}};
        for (Object[] c : cases) {
            SoftDiceLoss loss = (SoftDiceLoss) c[0];
            GradientCheck.Result r = LossFixtures.check(loss, z, t, (INDArray) c[1]);
            assertTrue(r.maxRelativeError() < 1e-4, loss + " weights " + (c[1] != null) + ": " + r);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOneChannel() {
        INDArray z = LossFixtures.logits(4, DataType.DOUBLE, 2, 1, 3, 4);
        INDArray y = LossFixtures.classIds(5, 2, 2, 3, 4);
        INDArray w = LossFixtures.weights(6, 2, 3, 4);
        GradientCheck.Result r = LossFixtures.check(DICE, z, y, w);
        assertTrue(r.maxRelativeError() < 1e-4, r.toString());
        r = LossFixtures.check(DICE.withPerImage(true), z, y, null);
        assertTrue(r.maxRelativeError() < 1e-4, r.toString());
    }

    @Test
    void perImageIsTheMeanOfSingleImageLossesAndBatchPoolsPixels() {
        INDArray z = LossFixtures.logits(7, DataType.DOUBLE, 2, 3, 4, 4);
        INDArray t = LossFixtures.classIds(8, 3, 2, 4, 4);
        double[] single = new double[2];
        for (int n = 0; n < 2; n++) {
            INDArray zn = z.get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup();
            INDArray tn = t.get(NDArrayIndex.interval(n, n + 1), NDArrayIndex.all(), NDArrayIndex.all()).dup();
            single[n] = DICE.compute(zn, tn).value();
        }
        assertEquals((single[0] + single[1]) / 2, DICE.withPerImage(true).compute(z, t).value(), 1e-14);
        // Batch Dice equals Dice on the two images placed side by side in one image.
        INDArray zWide = Nd4j.concat(3, z.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()), z.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()));
        INDArray tWide = Nd4j.concat(2, t.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all()),
                t.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.all()));
        assertEquals(DICE.compute(zWide, tWide).value(), DICE.compute(z, t).value(), 1e-14);
    }

    @Test
    void ignoredPixelsAreLikeRemovedPixels() {
        INDArray z = LossFixtures.logits(9, DataType.DOUBLE, 1, 3, 1, 5);
        INDArray t = Nd4j.createFromArray(2, 255, 0, 1, 255).reshape(1, 1, 5);
        long[] kept = {0, 2, 3};
        INDArray zKept = z.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.indices(kept))
                .dup();
        LossResult all = DICE.withIgnoreLabel(255).compute(z, t);
        LossResult removed = DICE.compute(zKept, Nd4j.createFromArray(2, 0, 1).reshape(1, 1, 3));
        assertEquals(removed.value(), all.value(), 1e-14);
        for (int i = 0; i < kept.length; i++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(removed.gradient().getDouble(0, k, 0, i), all.gradient().getDouble(0, k, 0, kept[i]), 1e-15);
            }
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(0.0, all.gradient().getDouble(0, k, 0, 1), 0.0);
            assertEquals(0.0, all.gradient().getDouble(0, k, 0, 4), 0.0);
        }
    }

    @Test
    void floatAgreesWithDouble() {
        INDArray z = LossFixtures.logits(10, DataType.DOUBLE, 2, 4, 8, 8);
        INDArray t = LossFixtures.classIds(11, 4, 2, 8, 8);
        for (SoftDiceLoss loss : List.of(DICE, DICE.withPerImage(true).withExcludeBackground(true))) {
            LossResult d = loss.compute(z, t);
            LossResult f = loss.compute(z.castTo(DataType.FLOAT), t);
            assertEquals(d.value(), f.value(), 1e-5 * d.value());
            assertTrue(TestTensors.relativeNormError(f.gradient(), d.gradient()) < 1e-5);
        }
    }

    @Test
    void perfectAndHugeLogitsStayFinite() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            // Confidently right at both pixels: p equals g exactly, every D_c = 1.
            INDArray z = Nd4j.createFromArray(1000.0, -1000.0, -1000.0, 1000.0).reshape(1, 2, 1, 2).castTo(dt);
            INDArray right = Nd4j.createFromArray(0, 1).reshape(1, 1, 2);
            assertEquals(0.0, DICE.compute(z, right).value(), 1e-7, dt.toString());
            LossResult wrong = DICE.compute(z, Nd4j.createFromArray(1, 0).reshape(1, 1, 2));
            // p and g disjoint: D_c = 1 / (1 + 1 + 1) for both classes.
            assertEquals(1 - 1.0 / 3, wrong.value(), 1e-7, dt.toString());
            assertTrue(!BooleanIndexing.or(wrong.gradient(), Conditions.isNan()));
            INDArray z1 = Nd4j.createFromArray(1000.0, -1000.0).reshape(1, 1, 1, 2).castTo(dt);
            LossResult one = DICE.compute(z1, Nd4j.createFromArray(0, 1).reshape(1, 1, 2));
            assertTrue(Double.isFinite(one.value()) && !BooleanIndexing.or(one.gradient(), Conditions.isNan()));
        }
    }

    @Test
    void badInputsGiveClearErrors() {
        String m = message(() -> new SoftDiceLoss(0.0, false, false, java.util.OptionalInt.empty()));
        assertTrue(m.contains("SoftDiceLoss") && m.contains("smooth"), m);
        INDArray z = LossFixtures.logits(12, DataType.DOUBLE, 1, 3, 2, 2);
        m = message(() -> DICE.compute(z, Nd4j.createFromArray(0, 1, 3, 2).reshape(1, 2, 2)));
        assertTrue(m.contains("SoftDiceLoss") && m.contains("class id 3") && m.contains("K = 3"), m);
        INDArray z1 = LossFixtures.logits(12, DataType.DOUBLE, 1, 1, 2, 2);
        m = message(() -> DICE.compute(z1, Nd4j.createFromArray(0, 1, 3, 2).reshape(1, 2, 2)));
        assertTrue(m.contains("value 3") && m.contains("[0, 1]"), m);
        m = message(() -> DICE.withIgnoreLabel(0).compute(z1, Nd4j.zeros(1, 2, 2)));
        assertTrue(m.contains("ignore label 0"), m);
    }
}
