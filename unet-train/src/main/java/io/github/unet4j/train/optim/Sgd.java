package io.github.unet4j.train.optim;

import io.github.unet4j.core.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
 * in PyTorch's formulation ({@code torch.optim.SGD} with dampening 0), so hyperparameters carry
 * over. The paper trains with momentum 0.99.
 *
 * <p>For each parameter {@code p} with gradient {@code g}, at learning rate {@code lr} (the
 * schedule's rate for this step):
 * <pre>
 * g = g + wd * p               (only for kinds in decayKinds, default WEIGHT)
 * v = mu * v + g               (momentum buffer, starts at 0, so v = g after the first step)
 * d = g + mu * v   (Nesterov)  or   d = v   (classic)   or   d = g   (mu = 0)
 * p = p - lr * d
 * </pre>
 * Note this is PyTorch's form, where the rate multiplies the whole velocity; in Sutskever's
 * form ({@code v = mu * v - lr * g; p = p + v}) a change of learning rate acts differently. The
 * two agree for a constant rate. Gradients are read, not modified. State slot:
 * {@code momentum_buffer} (only when {@code mu > 0}).
 */
public final class Sgd extends AbstractOptimizer {

    /** The state slot of the momentum buffers. */
    public static final String MOMENTUM_SLOT = "momentum_buffer";
    /** The kind recorded in checkpoints. */
    public static final String KIND = "sgd";

    private final SgdConfig config;

    /**
     * @param parameters the parameters to update (names must be unique)
     * @param config     the configuration
     */
    public Sgd(List<Parameter> parameters, SgdConfig config) {
        super("Sgd", parameters, config != null && config.momentum() > 0 ? List.of(MOMENTUM_SLOT) : List.of());
        if (config == null) {
            throw new IllegalArgumentException("Sgd: config must be set");
        }
        this.config = config;
    }

    /** @return the configuration */
    public SgdConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public double baseLearningRate() {
        return config.learningRate();
    }

    @Override
    LearningRateSchedule schedule() {
        return config.schedule();
    }

    @Override
    Map<String, Double> hyperparameters() {
        Map<String, Double> h = new LinkedHashMap<>();
        h.put("lr", config.learningRate());
        h.put("momentum", config.momentum());
        h.put("nesterov", config.nesterov() ? 1.0 : 0.0);
        h.put("weight_decay", config.weightDecay());
        return h;
    }

    @Override
    void update(Parameter p, double lr, long step) {
        // d = g + wd w (+ mu v with Nesterov), and w -= lr d, written as in-place passes over w
        // and v: a temporary of the parameter's size would keep the update workspace as large as
        // the largest parameter (38 MB in the paper's network). ND4J's Axpy, not BLAS's axpy: in a
        // profile of the 16-channel network's steps BLAS's took 4-5% of the step for 1.9 M
        // parameters, some 20x its time alone (OpenBLAS's threads contend with ND4J's spinning
        // OpenMP threads for the cores).
        INDArray g = p.grad();
        INDArray w = p.value();
        double wd = config.weightDecay() > 0 && config.decayKinds().contains(p.kind()) ? config.weightDecay() : 0;
        double mu = config.momentum();
        if (mu > 0) {
            INDArray v = buffer(MOMENTUM_SLOT, p);
            Nd4j.exec(new Axpy(v, g, v, mu)); // v = mu v + g
            if (wd > 0) {
                Nd4j.exec(new Axpy(w, v, v, wd)); // v += wd w, before w changes
            }
            if (config.nesterov()) {
                // d = g + wd w + mu v: w = (1 - lr wd) w - lr g - lr mu v
                decay(w, lr * wd);
                Nd4j.exec(new Axpy(g, w, w, -lr));
                Nd4j.exec(new Axpy(v, w, w, -lr * mu));
            } else {
                Nd4j.exec(new Axpy(v, w, w, -lr));
            }
        } else {
            decay(w, lr * wd); // d = g + wd w: w = (1 - lr wd) w - lr g
            Nd4j.exec(new Axpy(g, w, w, -lr));
        }
    }

    private static void decay(INDArray w, double amount) {
        if (amount > 0) {
            w.muli(1 - amount);
        }
    }
}
