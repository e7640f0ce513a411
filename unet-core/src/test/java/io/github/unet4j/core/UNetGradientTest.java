package io.github.unet4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.testing.GradientCheck;
import io.github.unet4j.core.testing.TestTensors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Whole-network gradient checks of a tiny U-Net (depth 3, 2 base channels), and float vs double. */
class UNetGradientTest {
    /**
     * Elements checked per tensor (every layer is checked element by element in the layer tests;
     * here a random sample of each tensor keeps the whole-network checks to seconds).
     */
    static final int SAMPLED = 16;
    /**
     * Float against double through the whole network: rounding compounds over the ~15 layers of
     * the backward chain, an order of magnitude above a single layer's 1e-5.
     */
    static final double FLOAT_TOLERANCE = 1e-4;

    static Stream<Arguments> configs() {
        UNetConfig t = UNetTest.tiny();
        return Stream.of(
                Arguments.of(Named.of("VALID", t)),
                Arguments.of(Named.of("SAME", t.withPadding(Padding.SAME))),
                Arguments.of(Named.of("VALID + BatchNorm", t.withBatchNorm(true))),
                Arguments.of(Named.of("SAME + BatchNorm", t.withPadding(Padding.SAME).withBatchNorm(true))),
                Arguments.of(Named.of("VALID bilinear", t.withUpsampling(Upsampling.BILINEAR))),
                Arguments.of(Named.of("VALID dropout 0.5", t.withDropout(0.5))));
    }

    static INDArray input(UNetConfig c, DataType dt, long batch) {
        int s = c.validInputSizeAtLeast(c.padding() == Padding.SAME ? 8 : 30);
        return TestTensors.awayFromZero(21, dt, batch, c.inChannels(), s, s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void wholeNetworkGradients(UNetConfig c) {
        UNet net = new UNet(c, DataType.DOUBLE, 4);
        TestTensors.nonZeroBiases(net.parameters(), 1);
        INDArray x = input(c, DataType.DOUBLE, 2);
        GradientCheck.Result r = new GradientCheck().maxPerTensor(SAMPLED).check(x, v -> {
            net.dropout().reseed(99); // the same mask in every pass
            return net.forward(v, Mode.TRAIN);
        }, net::backward, net.parameters());
        assertTrue(r.maxRelativeError() < 1e-4, r.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void floatPathMatchesDoublePath(UNetConfig c) {
        UNet d = new UNet(c, DataType.DOUBLE, 4);
        UNet f = new UNet(c, DataType.FLOAT, 4);
        TestTensors.copyValues(d.parameters(), f.parameters());
        INDArray x = input(c, DataType.DOUBLE, 2);
        d.dropout().reseed(5);
        f.dropout().reseed(5);
        INDArray yd = d.forward(x, Mode.TRAIN);
        INDArray yf = f.forward(x.castTo(DataType.FLOAT), Mode.TRAIN);
        assertTrue(TestTensors.relativeNormError(yf, yd) < FLOAT_TOLERANCE, "forward " + TestTensors.relativeNormError(yf, yd));
        INDArray g = TestTensors.awayFromZero(8, DataType.DOUBLE, yd.shape());
        INDArray dxd = d.backward(g);
        INDArray dxf = f.backward(g.castTo(DataType.FLOAT));
        assertTrue(TestTensors.relativeNormError(dxf, dxd) < FLOAT_TOLERANCE, "dx " + TestTensors.relativeNormError(dxf, dxd));
        for (int i = 0; i < d.parameters().size(); i++) {
            double e = TestTensors.relativeNormError(f.parameters().get(i).grad(), d.parameters().get(i).grad());
            assertTrue(e < FLOAT_TOLERANCE, d.parameters().get(i).name() + " " + e);
        }
    }

    @Test
    void gradientsStillMatchAfterSgdSteps() {
        // Away from the initial point: a few plain SGD steps on L = sum(out * R), then check again.
        UNetConfig c = UNetTest.tiny().withBatchNorm(true);
        UNet net = new UNet(c, DataType.DOUBLE, 6);
        TestTensors.nonZeroBiases(net.parameters(), 1);
        INDArray x = input(c, DataType.DOUBLE, 2);
        INDArray r = TestTensors.awayFromZero(2, DataType.DOUBLE, net.outputShape(x.shape()));
        for (int step = 0; step < 5; step++) {
            net.zeroGrad();
            net.forward(x, Mode.TRAIN);
            net.backward(r);
            for (Parameter p : net.parameters()) {
                p.value().subi(p.grad().mul(0.01));
            }
        }
        GradientCheck.Result res = new GradientCheck().maxPerTensor(SAMPLED).check(x, v -> net.forward(v, Mode.TRAIN), net::backward,
                net.parameters());
        assertTrue(res.maxRelativeError() < 1e-4, res.toString());
    }

    /** @return the test's network (seed 4, non-zero biases, dropout reseeded to 5) in the given mode */
    private static UNet twin(UNetConfig c, DataType dt, Activations activations) {
        UNet net = new UNet(c, dt, 4);
        net.setActivations(activations);
        TestTensors.nonZeroBiases(net.parameters(), 1);
        net.dropout().reseed(5);
        return net;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void recomputingActivationsGivesTheSameStepAsKeepingThem(UNetConfig c) {
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            UNet keep = twin(c, dt, Activations.KEEP);
            UNet recompute = twin(c, dt, Activations.RECOMPUTE);
            INDArray x = input(c, dt, 2);
            INDArray yk = keep.forward(x, Mode.TRAIN);
            INDArray yr = recompute.forward(x, Mode.TRAIN);
            assertEquals(yk, yr, dt + " logits");
            INDArray g = TestTensors.awayFromZero(8, dt, yk.shape());
            assertEquals(keep.backward(g), recompute.backward(g), dt + " dL/dx");
            for (int i = 0; i < keep.parameters().size(); i++) {
                assertEquals(keep.parameters().get(i).grad(), recompute.parameters().get(i).grad(),
                        dt + " " + keep.parameters().get(i).name());
            }
            // The recomputed forward must not move the batch-norm statistics a second time.
            for (int i = 0; i < keep.buffers().size(); i++) {
                assertEquals(keep.buffers().get(i).value(), recompute.buffers().get(i).value(),
                        dt + " " + keep.buffers().get(i).name());
            }
        }
    }

    /**
     * What KEEP_BF16 changes in float: a stored activation is off by at most 2^-9 of itself
     * (bfloat16 keeps 8 significant bits), so each dL/dW, a sum of such products, is off by about
     * that much times its cancellation (0.1-0.5% measured here); and a pooling window whose two
     * largest values round to the same bfloat16 sends its gradient to the first of them, which
     * moves the gradients below it (dL/dx, the first block's) by 0.03-2.5% in this network of 2
     * channels, where one window is a visible share. Far below what a wrong or unrestored array
     * gives (of order 1).
     */
    static final double BF16_STORAGE_TOLERANCE = 5e-2;

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void keepingActivationsInBfloat16ChangesOnlyWhatReadsThemRounded(UNetConfig c) {
        // KeepBf16Test checks the exact cases (bit for bit where every stored value is exact in bfloat16).
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            UNet keep = twin(c, dt, Activations.KEEP);
            UNet bf16 = twin(c, dt, Activations.KEEP_BF16);
            INDArray x = input(c, dt, 2);
            INDArray yk = keep.forward(x, Mode.TRAIN);
            INDArray yb = bf16.forward(x, Mode.TRAIN);
            assertEquals(yk, yb, dt + " logits: the forward reads full values");
            INDArray g = TestTensors.awayFromZero(8, dt, yk.shape());
            INDArray dxk = keep.backward(g);
            INDArray dxb = bf16.backward(g);
            double worst = TestTensors.relativeNormError(dxb, dxk);
            for (int i = 0; i < keep.parameters().size(); i++) {
                worst = Math.max(worst, TestTensors.relativeNormError(bf16.parameters().get(i).grad(),
                        keep.parameters().get(i).grad()));
            }
            if (dt == DataType.DOUBLE) {
                assertEquals(0, worst, "double activations are kept whole");
            } else {
                assertTrue(worst > 0 && worst < BF16_STORAGE_TOLERANCE, "float: worst relative error " + worst
                        + " (0 would mean nothing was stored in bfloat16)");
            }
        }
    }

    @Test
    void wholeNetworkGradientsWhileRecomputing() {
        UNetConfig c = UNetTest.tiny().withBatchNorm(true).withDropout(0.5);
        UNet net = new UNet(c, DataType.DOUBLE, 4);
        net.setActivations(Activations.RECOMPUTE);
        TestTensors.nonZeroBiases(net.parameters(), 1);
        INDArray x = input(c, DataType.DOUBLE, 2);
        GradientCheck.Result r = new GradientCheck().maxPerTensor(SAMPLED).check(x, v -> {
            net.dropout().reseed(99);
            return net.forward(v, Mode.TRAIN);
        }, net::backward, net.parameters());
        assertTrue(r.maxRelativeError() < 1e-4, r.toString());
    }
}
