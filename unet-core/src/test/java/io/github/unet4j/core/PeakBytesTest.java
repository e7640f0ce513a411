package io.github.unet4j.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory estimate that lets the commands refuse a tile too large before allocating it: its
 * arrays' part is at or above what the buffer pool lends at once, and not far above, for
 * inference and training in both activation modes.
 */
class PeakBytesTest {

    /** @return the most bytes the pool lent at once during the pass, beyond what was lent before it */
    private static long measured(UNet net, long[] shape, Mode mode) {
        INDArray x = Nd4j.rand(DataType.FLOAT, shape);
        BufferPool.trimPool();
        BufferPool.resetPeak();
        long before = BufferPool.peakInUseBytes(); // what is lent now
        INDArray y = net.forward(x, mode);
        INDArray dx = null;
        if (mode == Mode.TRAIN) {
            dx = net.backward(Nd4j.onesLike(y));
        }
        long peak = BufferPool.peakInUseBytes() - before;
        BufferPool.release(y);
        if (dx != null) {
            BufferPool.release(dx);
        }
        return peak;
    }

    /** @return what the pool held at once */
    private static long check(UNetConfig c, long[] shape, Mode mode, Activations a) {
        UNet net = new UNet(c, DataType.FLOAT, 1);
        net.setActivations(a);
        long estimate = net.peakArrayBytes(shape, mode);
        long params = net.parameterCount() * 4 * (mode == Mode.TRAIN ? 2 : 1);
        assertTrue(net.peakBytes(shape, mode) > estimate + params, "scratch and parameters come on top");
        measured(net, shape, mode); // the pool settles in the first pass
        long seen = measured(net, shape, mode);
        double ratio = (double) estimate / seen;
        System.out.printf("%s %s %s: estimate %d, seen %d, ratio %.2f%n", c, mode, a, estimate, seen, ratio);
        assertTrue(ratio >= 1 && ratio <= 1.6, c + " " + mode + " " + a + ": estimate " + estimate + " bytes, the pool "
                + "held " + seen + " at once (ratio " + ratio + ")");
        return seen;
    }

    @Test
    void estimateIsAboveAndNearWhatThePoolHolds() {
        UNetConfig valid = new UNetConfig(1, 2, 3, 8, Padding.VALID, false, 0, Upsampling.TRANSPOSED);
        UNetConfig bn = new UNetConfig(1, 3, 3, 8, Padding.SAME, true, 0, Upsampling.BILINEAR);
        for (Mode m : Mode.values()) {
            for (Activations a : Activations.values()) {
                check(valid, new long[] {2, 1, 92, 92}, m, a);
                check(bn, new long[] {1, 1, 64, 64}, m, a);
            }
        }
    }

    @Test
    void keepingActivationsInBfloat16HoldsLessThanKeepingThemInFloat() {
        UNetConfig valid = new UNetConfig(1, 2, 3, 8, Padding.VALID, false, 0, Upsampling.TRANSPOSED);
        long[] shape = {2, 1, 92, 92};
        long keep = check(valid, shape, Mode.TRAIN, Activations.KEEP);
        long bf16 = check(valid, shape, Mode.TRAIN, Activations.KEEP_BF16);
        assertTrue(bf16 < 0.85 * keep, "KEEP_BF16 held " + bf16 + " bytes at once, KEEP " + keep);
    }
}
