package io.github.unet4j.train.optim;

import io.github.unet4j.core.Parameter;
import java.util.EnumSet;
import java.util.Set;

/**
 * The immutable, validated configuration of {@link Adam}.
 *
 * @param learningRate base learning rate, finite and &gt; 0 (default 1e-3)
 * @param beta1        decay of the first-moment estimate, in [0, 1) (default 0.9)
 * @param beta2        decay of the second-moment estimate, in [0, 1) (default 0.999)
 * @param epsilon      added to the denominator, finite and &gt; 0 (default 1e-8)
 * @param weightDecay  decoupled (AdamW) weight decay coefficient &gt;= 0 (default 0)
 * @param decayKinds   the parameter kinds weight decay applies to (default: {@code WEIGHT} only)
 * @param schedule     the learning-rate schedule
 */
public record AdamConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
        Set<Parameter.Kind> decayKinds, LearningRateSchedule schedule) {

    /**
     * Validates every field and makes an unmodifiable copy of {@code decayKinds}.
     *
     * @param learningRate base learning rate, finite and &gt; 0 (default 1e-3)
     * @param beta1 decay of the first-moment estimate, in [0, 1) (default 0.9)
     * @param beta2 decay of the second-moment estimate, in [0, 1) (default 0.999)
     * @param epsilon added to the denominator, finite and &gt; 0 (default 1e-8)
     * @param weightDecay decoupled (AdamW) weight decay coefficient &gt;= 0 (default 0)
     * @param decayKinds the parameter kinds weight decay applies to (default: {@code WEIGHT} only)
     * @param schedule the learning-rate schedule
     */
    public AdamConfig {
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("AdamConfig: learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("AdamConfig: beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamConfig: beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("AdamConfig: epsilon must be finite and > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new IllegalArgumentException("AdamConfig: weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (decayKinds == null || decayKinds.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("AdamConfig: decayKinds must be set and hold no null (may be empty)");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("AdamConfig: schedule must be set");
        }
        decayKinds = Set.copyOf(decayKinds);
    }

    /** @return Kingma and Ba's defaults: rate 1e-3, betas 0.9 and 0.999, epsilon 1e-8, no decay */
    public static AdamConfig defaults() {
        return new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0, EnumSet.of(Parameter.Kind.WEIGHT),
                LearningRateSchedule.constant());
    }

    /**
     * @param v base learning rate
     * @return a copy with that value
     */
    public AdamConfig withLearningRate(double v) {
        return new AdamConfig(v, beta1, beta2, epsilon, weightDecay, decayKinds, schedule);
    }

    /**
     * @param b1 first-moment decay
     * @param b2 second-moment decay
     * @return a copy with those values
     */
    public AdamConfig withBetas(double b1, double b2) {
        return new AdamConfig(learningRate, b1, b2, epsilon, weightDecay, decayKinds, schedule);
    }

    /**
     * @param v epsilon
     * @return a copy with that value
     */
    public AdamConfig withEpsilon(double v) {
        return new AdamConfig(learningRate, beta1, beta2, v, weightDecay, decayKinds, schedule);
    }

    /**
     * @param v decoupled weight decay coefficient
     * @return a copy with that value
     */
    public AdamConfig withWeightDecay(double v) {
        return new AdamConfig(learningRate, beta1, beta2, epsilon, v, decayKinds, schedule);
    }

    /**
     * @param v the kinds weight decay applies to
     * @return a copy with that value
     */
    public AdamConfig withDecayKinds(Set<Parameter.Kind> v) {
        return new AdamConfig(learningRate, beta1, beta2, epsilon, weightDecay, v, schedule);
    }

    /**
     * @param v the learning-rate schedule
     * @return a copy with that value
     */
    public AdamConfig withSchedule(LearningRateSchedule v) {
        return new AdamConfig(learningRate, beta1, beta2, epsilon, weightDecay, decayKinds, v);
    }
}
