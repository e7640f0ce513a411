package io.github.unet4j.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.unet4j.core.Parameter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One scalar parameter starting at 1, learning rate 0.1, gradient 1 at the first step and 2 at
 * the second; the expected values are worked out by hand in the comments.
 */
class UpdateEquationsTest {

    private static final double TOL = 1e-12;

    private static Parameter scalar(String name, Parameter.Kind kind) {
        Parameter p = new Parameter(name, kind, kind == Parameter.Kind.WEIGHT ? 1 : 0, DataType.DOUBLE, 1);
        p.value().assign(1.0);
        return p;
    }

    /** Runs two steps with gradients 1 and 2 and returns the value after each. */
    private static double[] twoSteps(Optimizer opt, Parameter p) {
        double[] out = new double[2];
        double[] grads = {1, 2};
        for (int i = 0; i < 2; i++) {
            opt.zeroGrad();
            p.grad().assign(grads[i]);
            opt.step();
            out[i] = p.value().getDouble(0);
        }
        return out;
    }

    @Test
    void plainSgd() {
        Parameter p = scalar("w", Parameter.Kind.WEIGHT);
        Sgd sgd = new Sgd(List.of(p), SgdConfig.of(0.1));
        double[] v = twoSteps(sgd, p);
        assertEquals(0.9, v[0], TOL); // 1 - 0.1 * 1
        assertEquals(0.7, v[1], TOL); // 0.9 - 0.1 * 2
        assertEquals(2, sgd.stepCount());
        assertEquals(1.0, p.grad().getDouble(0) / 2, TOL, "the gradient is not modified");
    }

    @Test
    void momentum() {
        Parameter p = scalar("w", Parameter.Kind.WEIGHT);
        Sgd sgd = new Sgd(List.of(p), SgdConfig.of(0.1).withMomentum(0.9));
        double[] v = twoSteps(sgd, p);
        // v1 = 0.9 * 0 + 1 = 1;        p1 = 1 - 0.1 * 1 = 0.9
        assertEquals(0.9, v[0], TOL);
        // v2 = 0.9 * 1 + 2 = 2.9;      p2 = 0.9 - 0.1 * 2.9 = 0.61
        assertEquals(0.61, v[1], TOL);
        assertEquals(2.9, sgd.state().tensors().get("momentum_buffer/w").getDouble(0), TOL);
    }

    @Test
    void nesterov() {
        Parameter p = scalar("w", Parameter.Kind.WEIGHT);
        Sgd sgd = new Sgd(List.of(p), SgdConfig.of(0.1).withMomentum(0.9).withNesterov(true));
        double[] v = twoSteps(sgd, p);
        // v1 = 1;   d1 = g + mu * v1 = 1 + 0.9 = 1.9;        p1 = 1 - 0.19 = 0.81
        assertEquals(0.81, v[0], TOL);
        // v2 = 0.9 * 1 + 2 = 2.9;   d2 = 2 + 0.9 * 2.9 = 4.61;   p2 = 0.81 - 0.461 = 0.349
        assertEquals(0.349, v[1], TOL);
    }

    @Test
    void weightDecayAppliesToWeightsOnlyByDefault() {
        Parameter w = scalar("w", Parameter.Kind.WEIGHT);
        Parameter b = scalar("b", Parameter.Kind.BIAS);
        Sgd sgd = new Sgd(List.of(w, b), SgdConfig.of(0.1).withWeightDecay(0.5));
        double[] wv = new double[2];
        double[] bv = new double[2];
        double[] grads = {1, 2};
        for (int i = 0; i < 2; i++) {
            sgd.zeroGrad();
            w.grad().assign(grads[i]);
            b.grad().assign(grads[i]);
            sgd.step();
            wv[i] = w.value().getDouble(0);
            bv[i] = b.value().getDouble(0);
        }
        // g1 = 1 + 0.5 * 1 = 1.5;      p1 = 1 - 0.1 * 1.5 = 0.85
        assertEquals(0.85, wv[0], TOL);
        // g2 = 2 + 0.5 * 0.85 = 2.425; p2 = 0.85 - 0.2425 = 0.6075
        assertEquals(0.6075, wv[1], TOL);
        // The bias is not decayed: plain SGD, 0.9 then 0.7.
        assertEquals(0.9, bv[0], TOL);
        assertEquals(0.7, bv[1], TOL);
    }

    @Test
    void nesterovWithWeightDecay() {
        Parameter p = scalar("w", Parameter.Kind.WEIGHT);
        Sgd sgd = new Sgd(List.of(p), SgdConfig.of(0.1).withMomentum(0.9).withNesterov(true).withWeightDecay(0.5));
        double[] v = twoSteps(sgd, p);
        // g1 = 1 + 0.5 * 1 = 1.5; v1 = 1.5; d1 = 1.5 + 0.9 * 1.5 = 2.85; p1 = 1 - 0.285 = 0.715
        assertEquals(0.715, v[0], TOL);
        // g2 = 2 + 0.5 * 0.715 = 2.3575; v2 = 0.9 * 1.5 + 2.3575 = 3.7075;
        // d2 = 2.3575 + 0.9 * 3.7075 = 5.69425; p2 = 0.715 - 0.569425 = 0.145575
        assertEquals(0.145575, v[1], TOL);
        assertEquals(3.7075, sgd.state().tensors().get("momentum_buffer/w").getDouble(0), TOL);
        assertEquals(2.0, p.grad().getDouble(0), TOL, "the gradient is not modified");
    }

    @Test
    void weightDecayWithMomentumAndChosenKinds() {
        Parameter b = scalar("b", Parameter.Kind.BIAS);
        Sgd sgd = new Sgd(List.of(b), SgdConfig.of(0.1).withMomentum(0.9).withWeightDecay(0.5)
                .withDecayKinds(Set.of(Parameter.Kind.BIAS)));
        double[] v = twoSteps(sgd, b);
        // g1 = 1.5; v1 = 1.5;                         p1 = 1 - 0.15 = 0.85
        assertEquals(0.85, v[0], TOL);
        // g2 = 2 + 0.5 * 0.85 = 2.425; v2 = 0.9 * 1.5 + 2.425 = 3.775; p2 = 0.85 - 0.3775 = 0.4725
        assertEquals(0.4725, v[1], TOL);
    }

    @Test
    void adamWithBiasCorrection() {
        Parameter p = scalar("w", Parameter.Kind.WEIGHT);
        Adam adam = new Adam(List.of(p), AdamConfig.defaults().withLearningRate(0.1));
        double[] v = twoSteps(adam, p);
        // t = 1: m = 0.1 * 1 = 0.1, v = 0.001 * 1 = 0.001; mhat = 0.1 / (1 - 0.9) = 1,
        //        vhat = 0.001 / (1 - 0.999) = 1; p1 = 1 - 0.1 * 1 / (1 + 1e-8) = 0.900000001
        assertEquals(0.900000001, v[0], TOL);
        // t = 2: m = 0.9 * 0.1 + 0.1 * 2 = 0.29, v = 0.999 * 0.001 + 0.001 * 4 = 0.004999;
        //        mhat = 0.29 / (1 - 0.81) = 1.5263157894736843,
        //        vhat = 0.004999 / (1 - 0.998001) = 2.50075037518763, sqrt(vhat) = 1.5813761...;
        //        step = 0.1 * 1.5263157894736843 / (1.5813761... + 1e-8) = 0.09651820197183365
        //        p2 = 0.900000001 - 0.09651820197183365 = 0.8034817990281663
        assertEquals(0.8034817990281663, v[1], TOL);
        assertEquals(0.29, adam.state().tensors().get("exp_avg/w").getDouble(0), TOL);
        assertEquals(0.004999, adam.state().tensors().get("exp_avg_sq/w").getDouble(0), TOL);
    }

    @Test
    void adamWithDecoupledWeightDecay() {
        Parameter p = scalar("w", Parameter.Kind.WEIGHT);
        Parameter s = scalar("gamma", Parameter.Kind.SCALE);
        Adam adam = new Adam(List.of(p, s), AdamConfig.defaults().withLearningRate(0.1).withWeightDecay(0.5));
        double[] grads = {1, 2};
        double[] pv = new double[2];
        double[] sv = new double[2];
        for (int i = 0; i < 2; i++) {
            adam.zeroGrad();
            p.grad().assign(grads[i]);
            s.grad().assign(grads[i]);
            adam.step();
            pv[i] = p.value().getDouble(0);
            sv[i] = s.value().getDouble(0);
        }
        // The decay shrinks p by (1 - 0.1 * 0.5) = 0.95 before the Adam step (same steps as above):
        // p1 = 1 * 0.95 - 0.099999999 = 0.850000001
        assertEquals(0.850000001, pv[0], TOL);
        // p2 = 0.850000001 * 0.95 - 0.09651820197183365 = 0.7109817989781663
        assertEquals(0.7109817989781663, pv[1], TOL);
        // A SCALE parameter is not decayed by default: plain Adam.
        assertEquals(0.900000001, sv[0], TOL);
        assertEquals(0.8034817990281663, sv[1], TOL);
    }

    @Test
    void optimizerFollowsItsSchedule() {
        Parameter p = scalar("w", Parameter.Kind.WEIGHT);
        Sgd sgd = new Sgd(List.of(p), SgdConfig.of(0.1).withSchedule(LearningRateSchedule.stepDecay(1, 0.5)));
        assertEquals(0.1, sgd.learningRate(), TOL);
        p.grad().assign(1);
        sgd.step(); // lr 0.1: p = 0.9
        assertEquals(0.05, sgd.learningRate(), TOL);
        sgd.step(); // lr 0.05: p = 0.85
        assertEquals(0.85, p.value().getDouble(0), TOL);
        assertEquals(0.025, sgd.learningRate(), TOL);
        assertEquals(0.1, sgd.baseLearningRate(), TOL);
    }

    @Test
    void floatParametersAreUpdatedInTheirType() {
        Parameter p = new Parameter("w", Parameter.Kind.WEIGHT, 1, DataType.FLOAT, 2, 3);
        p.value().assign(1);
        p.grad().assign(1);
        Adam adam = new Adam(List.of(p), AdamConfig.defaults());
        adam.step();
        assertEquals(DataType.FLOAT, p.value().dataType());
        assertEquals(1 - 1e-3, p.value().getDouble(1, 2), 1e-6);
    }

    @Test
    void configsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> SgdConfig.of(0));
        assertThrows(IllegalArgumentException.class, () -> SgdConfig.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> SgdConfig.of(0.1).withMomentum(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SgdConfig.of(0.1).withNesterov(true));
        assertEquals("SgdConfig: Nesterov momentum needs momentum > 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SgdConfig.of(0.1).withWeightDecay(-1));
        assertThrows(IllegalArgumentException.class, () -> SgdConfig.of(0.1).withSchedule(null));
        assertThrows(IllegalArgumentException.class, () -> AdamConfig.defaults().withBetas(0.9, 1));
        assertThrows(IllegalArgumentException.class, () -> AdamConfig.defaults().withEpsilon(0));
        assertEquals(0.99, SgdConfig.paper(0.01).momentum());
        AdamConfig d = AdamConfig.defaults();
        assertEquals(1e-3, d.learningRate());
        assertEquals(0.9, d.beta1());
        assertEquals(0.999, d.beta2());
        assertEquals(1e-8, d.epsilon());
    }

    @Test
    void duplicateParameterNamesAreRejected() {
        Parameter a = scalar("w", Parameter.Kind.WEIGHT);
        Parameter b = scalar("w", Parameter.Kind.WEIGHT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sgd(List.of(a, b), SgdConfig.of(0.1)));
        assertEquals("Sgd: parameter w appears twice", e.getMessage());
    }
}
