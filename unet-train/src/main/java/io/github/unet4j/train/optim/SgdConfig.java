package io.github.unet4j.train.optim;

import io.github.unet4j.core.Parameter;
import java.util.EnumSet;
import java.util.Set;

/**
 * The immutable, validated configuration of {@link Sgd}.
 *
 * @param learningRate base learning rate, finite and &gt; 0
 * @param momentum     momentum {@code mu} in [0, 1) (paper: 0.99); 0 = plain SGD
 * @param nesterov     Nesterov momentum (needs momentum &gt; 0)
 * @param weightDecay  L2 coefficient {@code wd} &gt;= 0 added to the gradient as {@code wd * p}
 * @param decayKinds   the parameter kinds weight decay applies to (default: {@code WEIGHT} only,
 *                     so biases and batch-norm scale and shift are not decayed)
 * @param schedule     the learning-rate schedule
 */
public record SgdConfig(double learningRate, double momentum, boolean nesterov, double weightDecay,
        Set<Parameter.Kind> decayKinds, LearningRateSchedule schedule) {

    /**
     * Validates every field and makes an unmodifiable copy of {@code decayKinds}.
     *
     * @param learningRate base learning rate, finite and &gt; 0
     * @param momentum momentum {@code mu} in [0, 1) (paper: 0.99); 0 = plain SGD
     * @param nesterov Nesterov momentum (needs momentum &gt; 0)
     * @param weightDecay L2 coefficient {@code wd} &gt;= 0 added to the gradient as {@code wd * p}
     * @param decayKinds the parameter kinds weight decay applies to (default: {@code WEIGHT} only, so biases and batch-norm scale and shift are not decayed)
     * @param schedule the learning-rate schedule
     */
    public SgdConfig {
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("SgdConfig: learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SgdConfig: momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("SgdConfig: Nesterov momentum needs momentum > 0");
        }
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new IllegalArgumentException("SgdConfig: weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (decayKinds == null || decayKinds.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("SgdConfig: decayKinds must be set and hold no null (may be empty)");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("SgdConfig: schedule must be set");
        }
        decayKinds = Set.copyOf(decayKinds);
    }

    /**
     * @param learningRate base learning rate
     * @return plain SGD: no momentum, no weight decay, constant rate
     */
    public static SgdConfig of(double learningRate) {
        return new SgdConfig(learningRate, 0, false, 0, EnumSet.of(Parameter.Kind.WEIGHT),
                LearningRateSchedule.constant());
    }

    /**
     * The paper's optimiser: momentum 0.99 (the paper gives no learning rate).
     *
     * @param learningRate base learning rate
     * @return SGD with momentum 0.99, no weight decay, constant rate
     */
    public static SgdConfig paper(double learningRate) {
        return of(learningRate).withMomentum(0.99);
    }

    /**
     * @param v base learning rate
     * @return a copy with that value
     */
    public SgdConfig withLearningRate(double v) {
        return new SgdConfig(v, momentum, nesterov, weightDecay, decayKinds, schedule);
    }

    /**
     * @param v momentum
     * @return a copy with that value
     */
    public SgdConfig withMomentum(double v) {
        return new SgdConfig(learningRate, v, nesterov, weightDecay, decayKinds, schedule);
    }

    /**
     * @param v whether to use Nesterov momentum
     * @return a copy with that value
     */
    public SgdConfig withNesterov(boolean v) {
        return new SgdConfig(learningRate, momentum, v, weightDecay, decayKinds, schedule);
    }

    /**
     * @param v weight decay coefficient
     * @return a copy with that value
     */
    public SgdConfig withWeightDecay(double v) {
        return new SgdConfig(learningRate, momentum, nesterov, v, decayKinds, schedule);
    }

    /**
     * @param v the kinds weight decay applies to
     * @return a copy with that value
     */
    public SgdConfig withDecayKinds(Set<Parameter.Kind> v) {
        return new SgdConfig(learningRate, momentum, nesterov, weightDecay, v, schedule);
    }

    /**
     * @param v the learning-rate schedule
     * @return a copy with that value
     */
    public SgdConfig withSchedule(LearningRateSchedule v) {
        return new SgdConfig(learningRate, momentum, nesterov, weightDecay, decayKinds, v);
    }
}
