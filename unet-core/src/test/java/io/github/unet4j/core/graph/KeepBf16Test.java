package io.github.unet4j.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.Saved;
import io.github.unet4j.core.layers.BatchNorm2d;
import io.github.unet4j.core.layers.Conv2d;
import io.github.unet4j.core.layers.MaxPool2d;
import io.github.unet4j.core.layers.ReLU;
import io.github.unet4j.core.testing.TestTensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Activations#KEEP_BF16}: which values the Tape stores in bfloat16, from when to when, and
 * that a backward reads them back rounded to nearest even and nothing else changes.
 */
class KeepBf16Test {

    /** y = 3x into a new array; keeps x through {@link Saved} and records what it saw of it. */
    static final class SavingProbe implements Layer {
        Saved input;
        final List<Boolean> compressedWhenOthersRan = new ArrayList<>();
        INDArray seenInBackward;

        @Override
        public String name() {
            return "saving probe";
        }

        @Override
        public INDArray forward(INDArray x, Mode mode) {
            input = mode == Mode.TRAIN ? Saved.of(x) : null;
            return x.mul(3);
        }

        @Override
        public INDArray backward(INDArray gradOut) {
            seenInBackward = input.get().dup();
            return gradOut.mul(3);
        }

        @Override
        public boolean cachesInput() {
            return true;
        }

        @Override
        public boolean cachesAsSaved() {
            return true;
        }

        @Override
        public long[] outputShape(long[] in) {
            return in.clone();
        }
    }

    /** y = x + 1 into a new array, caching nothing; in forward, asks whether the probe's array is stored compressed now. */
    static final class Watch implements Layer {
        private final SavingProbe probe;

        Watch(SavingProbe probe) {
            this.probe = probe;
        }

        @Override
        public String name() {
            return "watch";
        }

        @Override
        public INDArray forward(INDArray x, Mode mode) {
            probe.compressedWhenOthersRan.add(probe.input != null && probe.input.compressed());
            return x.add(1);
        }

        @Override
        public INDArray backward(INDArray gradOut) {
            return gradOut.dup();
        }

        @Override
        public long[] outputShape(long[] in) {
            return in.clone();
        }
    }

    /** A value neither exact in bfloat16 nor zero: 1 + 2^-10 rounds to 1, -3 - 2^-9 stays negative. */
    private static INDArray inexact() {
        return Nd4j.createFromArray(new float[] {1 + 0x1p-10f, -3 - 0x1p-9f, 0.1f, 7.0f, -0.2f, 1e-30f}).reshape(1, 1, 2, 3);
    }

    private static void assertBitwise(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.dup('c').data().asFloat(), actual.dup('c').data().asFloat(), what);
    }

    private static INDArray roundedToBf16(INDArray x) {
        return x.castTo(DataType.BFLOAT16).castTo(DataType.FLOAT);
    }

    @Test
    void aSavedValueIsBfloat16FromItsLastForwardReaderToItsFirstBackwardReader() {
        SavingProbe probe = new SavingProbe();
        Tape t = Tape.record("probe", 1, g -> {
            Var h = g.apply(new ReLU("relu", false), g.input(0)); // not in place: a new array
            return g.apply(new Watch(probe), g.apply(probe, h));
        });
        t.setActivations(Activations.KEEP_BF16);
        INDArray x = inexact();
        INDArray y = t.forward(x, Mode.TRAIN);
        assertEquals(List.of(true), probe.compressedWhenOthersRan, "the ReLU's output, read last by the probe, is "
                + "stored compressed while the layers after the probe run");
        assertEquals(x.mul(x.gt(0).castTo(DataType.FLOAT)).mul(3).add(1), y, "the forward itself reads full values");
        INDArray dx = t.backward(Nd4j.onesLike(y));
        INDArray relu = x.mul(x.gt(0).castTo(DataType.FLOAT));
        assertEquals(roundedToBf16(relu), probe.seenInBackward, "backward reads it rounded to nearest even");
        assertNotEquals(relu, probe.seenInBackward, "(the input is inexact in bfloat16)");
        assertEquals(x.gt(0).castTo(DataType.FLOAT).mul(3), dx, "the ReLU's mask read from the rounded output is the same");

        t.setActivations(Activations.KEEP);
        probe.compressedWhenOthersRan.clear();
        t.forward(x, Mode.TRAIN);
        t.backward(Nd4j.onesLike(y));
        assertEquals(List.of(false), probe.compressedWhenOthersRan, "KEEP stores nothing compressed");
        assertEquals(relu, probe.seenInBackward);
    }

    @Test
    void aValueALayerKeepsAsAPlainReferenceIsKeptWhole() {
        // The batch norm keeps its input (the probe's output) as a plain reference: the probe's
        // input is compressed, the batch norm's is not, and its backward equals KEEP's.
        SavingProbe probe = new SavingProbe();
        BatchNorm2d bn = new BatchNorm2d("bn", 1, DataType.FLOAT);
        SavingProbe after = new SavingProbe();
        Tape t = Tape.record("bn", 1, g -> g.apply(after, g.apply(new Watch(probe), g.apply(bn, g.apply(probe,
                g.apply(new ReLU("relu", false), g.input(0)))))));
        INDArray x = TestTensors.awayFromZero(3, DataType.FLOAT, 2, 1, 4, 4);
        INDArray g = TestTensors.awayFromZero(4, DataType.FLOAT, 2, 1, 4, 4);
        Activations[] modes = {Activations.KEEP, Activations.KEEP_BF16};
        INDArray[] dx = new INDArray[2];
        INDArray[] dGamma = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            t.setActivations(modes[i]);
            t.zeroGrad();
            t.forward(x, Mode.TRAIN);
            dx[i] = t.backward(g);
            dGamma[i] = bn.parameters().get(0).grad().dup();
        }
        assertEquals(List.of(false, true), probe.compressedWhenOthersRan);
        assertBitwise(dGamma[0], dGamma[1], "batch norm read its input whole");
        assertBitwise(dx[0], dx[1], "and the ReLU's mask is the same");
    }

    @Test
    void whenEverySavedValueIsExactInBfloat16TheStepIsTheSameAsUnderKeep() {
        // ReLU -> max pool -> convolution on an input exact in bfloat16: the ReLU's output (read
        // by the ReLU's and the pooling's backward) and the pooled map (read by the
        // convolution's) come back unchanged, so every gradient equals KEEP's bit for bit.
        INDArray x = roundedToBf16(TestTensors.awayFromZero(5, DataType.FLOAT, 2, 2, 8, 8));
        INDArray[] dx = new INDArray[2];
        List<List<INDArray>> grads = new ArrayList<>();
        for (Activations a : new Activations[] {Activations.KEEP, Activations.KEEP_BF16}) {
            Conv2d conv = new Conv2d("conv", 2, 3, 3, Padding.VALID, true, DataType.FLOAT);
            TestTensors.nonZeroBiases(conv.parameters(), 1);
            for (Parameter p : conv.parameters()) {
                p.value().assign(TestTensors.awayFromZero(6, DataType.FLOAT, p.value().shape()));
            }
            Tape t = Tape.record("chain", 1, g -> g.apply(conv, g.apply(new MaxPool2d("pool"),
                    g.apply(new ReLU("relu", false), g.input(0)))));
            t.setActivations(a);
            INDArray y = t.forward(x, Mode.TRAIN);
            dx[grads.size()] = t.backward(TestTensors.awayFromZero(7, DataType.FLOAT, y.shape()));
            grads.add(conv.parameters().stream().map(p -> p.grad().dup()).toList());
        }
        assertBitwise(dx[0], dx[1], "dL/dx");
        for (int i = 0; i < 2; i++) {
            assertBitwise(grads.get(0).get(i), grads.get(1).get(i), "parameter " + i);
        }
    }

    @Test
    void doubleArraysAreKeptWhole() {
        SavingProbe probe = new SavingProbe();
        Tape t = Tape.record("probe", 1, g -> g.apply(new Watch(probe), g.apply(probe,
                g.apply(new ReLU("relu", false), g.input(0)))));
        t.setActivations(Activations.KEEP_BF16);
        INDArray x = inexact().castTo(DataType.DOUBLE);
        t.forward(x, Mode.TRAIN);
        t.backward(Nd4j.onesLike(x));
        assertEquals(List.of(false), probe.compressedWhenOthersRan);
        assertEquals(x.mul(x.gt(0).castTo(DataType.DOUBLE)), probe.seenInBackward);
    }

    @Test
    void aCompressedHandleRefusesToBeReadAndComesBackRoundedOnce() {
        Saved.Store store = new Saved.Store();
        INDArray x = inexact();
        store.enter();
        Saved h;
        try {
            h = Saved.of(x);
            assertTrue(h == Saved.of(x), "one handle per array within a store");
            assertFalse(h == Saved.of(x.dup()), "another array, another handle");
        } finally {
            store.exit();
        }
        assertFalse(h == Saved.of(x), "outside a store every call makes its own handle");
        assertTrue(h == store.find(x));
        store.compress(h, DataType.BFLOAT16);
        assertTrue(h.compressed());
        IllegalStateException e = assertThrows(IllegalStateException.class, h::get);
        assertTrue(e.getMessage().contains("[1, 1, 2, 3]") && e.getMessage().contains("Tape"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> store.compress(h, DataType.BFLOAT16));
        INDArray back = store.restore(h);
        assertEquals(DataType.FLOAT, back.dataType());
        assertEquals(roundedToBf16(x), back);
        assertTrue(back == h.get());
        assertThrows(IllegalStateException.class, () -> store.restore(h), "restored already");
        store.clear();
        assertTrue(store.find(x) == null);
    }
}
