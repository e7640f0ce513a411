package io.github.unet4j.train.optim;

import io.github.unet4j.core.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba, 2015) with bias correction and optional decoupled weight decay
 * (AdamW, Loshchilov and Hutter), as PyTorch's {@code torch.optim.AdamW} computes it.
 *
 * <p>For each parameter {@code p} with gradient {@code g}, at step {@code t} (1 for the first
 * step) and learning rate {@code lr} (the schedule's rate for this step):
 * <pre>
 * p = p * (1 - lr * wd)                       (only for kinds in decayKinds, default WEIGHT)
 * m = beta1 * m + (1 - beta1) * g             (m and v start at 0)
 * v = beta2 * v + (1 - beta2) * g * g
 * p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * The last line equals {@code p - lr * mhat / (sqrt(vhat) + eps)} with the bias-corrected
 * {@code mhat = m / (1 - beta1^t)}, {@code vhat = v / (1 - beta2^t)}. Decoupled decay was
 * chosen over an L2 term in the gradient because with Adam an L2 term is rescaled by the
 * adaptive denominator and no longer acts as a uniform shrinkage. With {@code wd = 0} this is
 * plain Adam. Gradients are read, not modified. State slots: {@code exp_avg} (m) and
 * {@code exp_avg_sq} (v).
 */
public final class Adam extends AbstractOptimizer {

    /** The state slot of the first-moment estimates. */
    public static final String FIRST_MOMENT_SLOT = "exp_avg";
    /** The state slot of the second-moment estimates. */
    public static final String SECOND_MOMENT_SLOT = "exp_avg_sq";
    /** The kind recorded in checkpoints. */
    public static final String KIND = "adam";

    private final AdamConfig config;

    /**
     * @param parameters the parameters to update (names must be unique)
     * @param config     the configuration
     */
    public Adam(List<Parameter> parameters, AdamConfig config) {
        super("Adam", parameters, List.of(FIRST_MOMENT_SLOT, SECOND_MOMENT_SLOT));
        if (config == null) {
            throw new IllegalArgumentException("Adam: config must be set");
        }
        this.config = config;
    }

    /** @return the configuration */
    public AdamConfig config() {
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
        h.put("beta1", config.beta1());
        h.put("beta2", config.beta2());
        h.put("eps", config.epsilon());
        h.put("weight_decay", config.weightDecay());
        return h;
    }

    @Override
    void update(Parameter p, double lr, long step) {
        long t = step + 1;
        double b1 = config.beta1();
        double b2 = config.beta2();
        INDArray g = p.grad();
        INDArray value = p.value();
        if (config.weightDecay() > 0 && config.decayKinds().contains(p.kind())) {
            value.muli(1 - lr * config.weightDecay());
        }
        INDArray m = buffer(FIRST_MOMENT_SLOT, p);
        INDArray v = buffer(SECOND_MOMENT_SLOT, p);
        m.muli(b1).addi(g.mul(1 - b1));
        v.muli(b2).addi(g.mul(g).muli(1 - b2));
        double bias1 = 1 - Math.pow(b1, t);
        double bias2 = 1 - Math.pow(b2, t);
        INDArray denom = Transforms.sqrt(v, true).divi(Math.sqrt(bias2)).addi(config.epsilon());
        value.subi(m.div(denom).muli(lr / bias1));
    }
}
