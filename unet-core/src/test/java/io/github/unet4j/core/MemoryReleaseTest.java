package io.github.unet4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.graph.Tape;
import io.github.unet4j.core.graph.Var;
import io.github.unet4j.core.layers.Add;
import io.github.unet4j.core.layers.CropAndConcat;
import io.github.unet4j.core.layers.ReLU;
import io.github.unet4j.core.layers.Sequential;
import io.github.unet4j.core.testing.TestTensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Who frees what: arrays between layers are freed once no one needs them, the caller's never. */
class MemoryReleaseTest {

    /** y = 2x, recording the arrays it is given. */
    static final class Probe implements Layer {
        final List<INDArray> inputs = new ArrayList<>();
        final List<INDArray> gradients = new ArrayList<>();

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public INDArray forward(INDArray x, Mode mode) {
            inputs.add(x);
            return x.mul(2);
        }

        @Override
        public INDArray backward(INDArray gradOut) {
            gradients.add(gradOut);
            return gradOut.mul(2);
        }

        @Override
        public long[] outputShape(long[] in) {
            return in.clone();
        }
    }

    @Test
    void trainingFreesTheArraysBetweenLayersAfterBackwardAndNeverTheCallers() {
        Probe a = new Probe();
        Probe b = new Probe();
        Probe c = new Probe();
        Tape s = Tape.of(new Sequential("s", List.of(a, b, new ReLU("relu", true), c)));
        INDArray x = TestTensors.awayFromZero(1, DataType.FLOAT, 1, 2, 3, 3);
        INDArray y = s.forward(x, Mode.TRAIN);
        INDArray aOut = b.inputs.get(0);
        INDArray reluOut = c.inputs.get(0);
        assertFalse(aOut.wasClosed(), "needed by backward");
        assertFalse(reluOut.wasClosed(), "needed by backward");
        INDArray g = TestTensors.awayFromZero(2, DataType.FLOAT, y.shape());
        INDArray dx = s.backward(g);
        assertTrue(aOut.wasClosed(), "a's output is dead after a's backward");
        assertTrue(reluOut.wasClosed(), "b's output, overwritten in place by the ReLU, is dead after b's backward");
        assertTrue(a.gradients.get(0).wasClosed(), "the gradient passed to a is dead after a's backward");
        for (INDArray caller : new INDArray[] {x, y, g, dx}) {
            assertFalse(caller.wasClosed());
        }
        assertEquals(org.nd4j.linalg.ops.transforms.Transforms.relu(x.mul(4), true).mul(2), y, "values unaffected");
        assertThrows(IllegalStateException.class, () -> s.backward(g), "one backward per training forward");
    }

    @Test
    void aValueReadTwiceGetsTheSumOfBothGradientsAndDiesAfterItsMakersBackward() {
        // y = a(x) + relu(a(x)): the Tape sums both gradients of a's output.
        Probe a = new Probe();
        Probe b = new Probe();
        Tape t = Tape.record("sum", 1, g -> {
            Var h = g.apply(a, g.input(0));
            return g.apply(new Add("add"), g.apply(b, h), g.apply(new ReLU("relu"), h));
        });
        INDArray x = TestTensors.awayFromZero(1, DataType.FLOAT, 1, 2, 3, 3);
        INDArray y = t.forward(x, Mode.TRAIN);
        INDArray h = b.inputs.get(0);
        INDArray g = Nd4j.ones(DataType.FLOAT, y.shape());
        INDArray dx = t.backward(g);
        // dy/dh = 2 + step(h), dh/dx = 2.
        INDArray expected = x.mul(2).gt(0).castTo(DataType.FLOAT).addi(2).muli(2);
        assertEquals(expected, dx);
        assertEquals(1, a.gradients.size(), "a's backward runs once, with the sum");
        assertTrue(h.wasClosed(), "a's output is dead after a's backward");
        for (INDArray caller : new INDArray[] {x, y, g, dx}) {
            assertFalse(caller.wasClosed());
        }
    }

    @Test
    void aValueNoBackwardReadsDiesWithItsLastReadersForwardInTraining() {
        // The up-sampled map of an Up block: the concatenation copies it and caches nothing.
        Probe a = new Probe();
        Probe b = new Probe();
        Tape t = Tape.record("concat", 2, g -> g.apply(b, g.apply(new CropAndConcat("cc"), g.input(0),
                g.apply(a, g.input(1)))));
        INDArray skip = TestTensors.awayFromZero(1, DataType.FLOAT, 1, 2, 5, 5);
        INDArray x = TestTensors.awayFromZero(2, DataType.FLOAT, 1, 1, 3, 3);
        INDArray y = t.forward(Mode.TRAIN, skip, x);
        INDArray concatenated = b.inputs.get(0);
        assertFalse(concatenated.wasClosed(), "b caches it");
        INDArray[] d = t.backwardAll(Nd4j.ones(DataType.FLOAT, y.shape()));
        // From BufferPool.allocate: given back to the pool (idle, which trimPool frees) or closed;
        // whether the pool had room to keep it idle depends on what earlier tests left lent.
        BufferPool.trimPool();
        assertTrue(concatenated.wasClosed(), "given back after b's backward");
        assertArrayEquals(skip.shape(), d[0].shape(), "the crop window's gradient comes back whole");
        assertEquals(9 * 4, d[0].sumNumber().doubleValue(), 1e-6, "ones inside the window (x4 by b), zero outside");
        assertEquals(Nd4j.ones(DataType.FLOAT, x.shape()).muli(4), d[1]);
    }

    @Test
    void inferenceFreesEachArrayOnceTheNextLayerHasRun() {
        Probe a = new Probe();
        Probe b = new Probe();
        Tape s = Tape.of(new Sequential("s", List.of(a, b, new Probe())));
        INDArray x = TestTensors.awayFromZero(1, DataType.FLOAT, 1, 2, 3, 3);
        INDArray y = s.forward(x, Mode.INFER);
        assertTrue(b.inputs.get(0).wasClosed());
        assertFalse(x.wasClosed());
        assertFalse(y.wasClosed());
        assertEquals(x.mul(8), y);
    }

    @Test
    void clearCacheFreesATrainingForwardWithoutBackward() {
        Probe a = new Probe();
        Probe b = new Probe();
        Tape s = Tape.of(new Sequential("s", List.of(a, b)));
        INDArray x = TestTensors.awayFromZero(1, DataType.FLOAT, 1, 2, 3, 3);
        INDArray y = s.forward(x, Mode.TRAIN);
        s.clearCache();
        assertTrue(b.inputs.get(0).wasClosed());
        assertFalse(y.wasClosed());
        assertThrows(IllegalStateException.class, () -> s.backward(y));
    }

    @Test
    void theNetworkLeavesItsCallersArraysAloneAndRunsOutsideTheirWorkspace() {
        UNetConfig cfg = UNetTest.tiny();
        UNet net = new UNet(cfg, DataType.FLOAT, 3);
        INDArray x = TestTensors.awayFromZero(1, DataType.FLOAT, 1, 1, 44, 44);
        INDArray reference = net.forward(x, Mode.INFER);
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "caller")) {
            INDArray logits = net.forward(x, Mode.TRAIN);
            assertFalse(logits.isAttached(), "the network's arrays are its own, not the caller's workspace's");
            INDArray g = TestTensors.awayFromZero(2, DataType.FLOAT, logits.shape());
            INDArray dx = net.backward(g);
            for (INDArray caller : new INDArray[] {x, logits, g, dx}) {
                assertFalse(caller.wasClosed());
            }
            assertEquals(reference, logits);
        }
        assertThrows(IllegalStateException.class, () -> net.backward(reference), "one backward per forward");
        net.forward(x, Mode.TRAIN);
        net.clearCache();
        assertThrows(IllegalStateException.class, () -> net.backward(reference));
        assertEquals(reference, net.forward(x, Mode.INFER), "inference is repeatable after all this");
    }
}
