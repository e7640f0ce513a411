package io.github.unet4j.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.unet4j.core.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OptimizerStateTest {

    private static List<Parameter> params(long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<Parameter> ps = new ArrayList<>();
        ps.add(new Parameter("a.weight", Parameter.Kind.WEIGHT, 6, DataType.FLOAT, 4, 2, 3));
        ps.add(new Parameter("a.bias", Parameter.Kind.BIAS, 0, DataType.FLOAT, 4));
        ps.add(new Parameter("bn.weight", Parameter.Kind.SCALE, 0, DataType.FLOAT, 4));
        for (Parameter p : ps) {
            p.value().assign(Nd4j.randn(DataType.FLOAT, p.shape()));
        }
        return ps;
    }

    private static List<Parameter> copy(List<Parameter> ps) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : ps) {
            Parameter q = new Parameter(p.name(), p.kind(), p.fanIn(), p.value().dataType(), p.shape());
            q.value().assign(p.value());
            out.add(q);
        }
        return out;
    }

    /** Sets reproducible gradients for step {@code step} and steps. */
    private static void step(Optimizer opt, long step) {
        Nd4j.getRandom().setSeed(1000 + step);
        for (Parameter p : opt.parameters()) {
            p.zeroGrad();
            p.grad().assign(Nd4j.randn(DataType.FLOAT, p.shape()));
        }
        opt.step();
    }

    private static void resumeIsBitIdentical(Function<List<Parameter>, Optimizer> factory) {
        List<Parameter> pa = params(7);
        Optimizer a = factory.apply(pa);
        for (int s = 0; s < 3; s++) {
            step(a, s);
        }
        OptimizerState saved = a.state();
        List<Parameter> pb = copy(pa);
        Optimizer b = factory.apply(pb);
        b.loadState(saved);
        assertEquals(3, b.stepCount());
        assertEquals(a.learningRate(), b.learningRate());
        for (int s = 3; s < 6; s++) {
            step(a, s);
            step(b, s);
        }
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).value().data().asFloat(), pb.get(i).value().data().asFloat(),
                    pa.get(i).name());
        }
        OptimizerState sa = a.state();
        OptimizerState sb = b.state();
        assertEquals(sa.tensors().keySet(), sb.tensors().keySet());
        sa.tensors().forEach((k, v) -> assertArrayEquals(v.data().asFloat(), sb.tensors().get(k).data().asFloat(), k));
        // The snapshot taken at step 3 did not move with the optimiser.
        assertEquals(3, saved.step());
    }

    @Test
    void sgdResumesBitIdentically() {
        resumeIsBitIdentical(ps -> new Sgd(ps, SgdConfig.paper(0.01).withNesterov(true).withWeightDecay(1e-3)
                .withSchedule(LearningRateSchedule.cosine(10, 1e-4).withWarmup(2))));
    }

    @Test
    void adamResumesBitIdentically() {
        resumeIsBitIdentical(ps -> new Adam(ps, AdamConfig.defaults().withWeightDecay(0.01)));
    }

    @Test
    void stateIsASnapshot() {
        List<Parameter> ps = params(3);
        Sgd sgd = new Sgd(ps, SgdConfig.paper(0.1));
        step(sgd, 0);
        OptimizerState s = sgd.state();
        INDArray before = s.tensors().get("momentum_buffer/a.weight").dup();
        step(sgd, 1);
        assertEquals(before, s.tensors().get("momentum_buffer/a.weight"));
        assertEquals(List.of("momentum_buffer/a.weight", "momentum_buffer/a.bias", "momentum_buffer/bn.weight"),
                List.copyOf(s.tensors().keySet()));
        assertEquals("sgd", s.kind());
        assertEquals(0.99, s.hyperparameters().get("momentum"));
        assertEquals(0, new Sgd(ps, SgdConfig.of(0.1)).state().tensors().size(), "no momentum, no buffers");
    }

    @Test
    void kindMismatch() {
        List<Parameter> ps = params(1);
        OptimizerState s = new Sgd(ps, SgdConfig.paper(0.1)).state();
        Adam adam = new Adam(ps, AdamConfig.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(s));
        assertEquals("Adam: cannot load the state of a 'sgd' optimiser into a 'adam' optimiser", e.getMessage());
    }

    @Test
    void missingTensor() {
        List<Parameter> ps = params(1);
        OptimizerState s = new Sgd(ps.subList(0, 2), SgdConfig.paper(0.1)).state();
        Sgd sgd = new Sgd(ps, SgdConfig.paper(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(s));
        assertEquals("Sgd: the state has no tensor momentum_buffer/bn.weight", e.getMessage());
    }

    @Test
    void unexpectedTensor() {
        List<Parameter> ps = params(1);
        OptimizerState s = new Sgd(ps, SgdConfig.paper(0.1)).state();
        Sgd sgd = new Sgd(ps.subList(0, 2), SgdConfig.paper(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(s));
        assertEquals("Sgd: state tensor momentum_buffer/bn.weight matches no buffer of this optimiser"
                + " (unknown slot or parameter)", e.getMessage());
    }

    @Test
    void shapeMismatchChangesNothing() {
        List<Parameter> ps = params(1);
        Sgd source = new Sgd(ps, SgdConfig.paper(0.1));
        step(source, 0);
        Map<String, INDArray> tensors = new LinkedHashMap<>(source.state().tensors());
        tensors.put("momentum_buffer/a.bias", Nd4j.zeros(DataType.FLOAT, 5));
        OptimizerState bad = new OptimizerState("sgd", 1, Map.of(), "", tensors);
        Sgd sgd = new Sgd(ps, SgdConfig.paper(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(bad));
        assertEquals("Sgd: state tensor momentum_buffer/a.bias has shape [5] but the parameter has shape [4]",
                e.getMessage());
        assertEquals(0, sgd.stepCount());
        assertEquals(0.0, sgd.state().tensors().get("momentum_buffer/a.weight").sumNumber().doubleValue());
    }

    @Test
    void stateRecordIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new OptimizerState("", 0, Map.of(), "", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerState("sgd", -1, Map.of(), "", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerState("sgd", 0, Map.of(), "",
                Map.of("nosslot", Nd4j.zeros(1))));
    }
}
