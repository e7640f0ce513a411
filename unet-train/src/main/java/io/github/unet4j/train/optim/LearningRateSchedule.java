package io.github.unet4j.train.optim;

/**
 * The learning rate of each step as a function of the step number and the optimiser's base
 * rate.
 *
 * <p>Steps count from 0: the first {@link Optimizer#step()} uses {@code rate(0, base)}. The
 * factories return immutable, validated records whose {@code toString()} describes them (the
 * description is recorded in checkpoints).
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * @param step the number of steps already taken (0 for the first step)
     * @param base the optimiser's base learning rate
     * @return the learning rate of this step
     */
    double rate(long step, double base);

    /** @return the schedule that always returns the base rate */
    static LearningRateSchedule constant() {
        return new Constant();
    }

    /**
     * Step decay: {@code base * factor^floor(step / every)}.
     *
     * @param every  steps between two decays, &gt;= 1
     * @param factor multiplier applied at each decay, in (0, 1]
     * @return the schedule
     */
    static LearningRateSchedule stepDecay(long every, double factor) {
        return new StepDecay(every, factor);
    }

    /**
     * Cosine annealing from the base rate to {@code floor} over {@code steps} steps, then
     * {@code floor}: {@code floor + (base - floor) * (1 + cos(pi * min(step, steps) / steps)) / 2}.
     *
     * @param steps length of the annealing, &gt;= 1
     * @param floor the final rate, &gt;= 0
     * @return the schedule
     */
    static LearningRateSchedule cosine(long steps, double floor) {
        return new Cosine(steps, floor);
    }

    /**
     * Linear warm-up in front of another schedule: step {@code s < steps} gets
     * {@code base * (s + 1) / steps}; step {@code s >= steps} gets
     * {@code after.rate(s - steps, base)}, so the wrapped schedule starts at its own step 0
     * when the warm-up ends.
     *
     * @param steps length of the warm-up, &gt;= 1
     * @param after the schedule that follows
     * @return the schedule
     */
    static LearningRateSchedule warmup(long steps, LearningRateSchedule after) {
        return new Warmup(steps, after);
    }

    /**
     * @param steps length of the warm-up, &gt;= 1
     * @return this schedule behind a linear warm-up (see {@link #warmup(long, LearningRateSchedule)})
     */
    default LearningRateSchedule withWarmup(long steps) {
        return warmup(steps, this);
    }

    /** The base rate at every step. */
    record Constant() implements LearningRateSchedule {
        @Override
        public double rate(long step, double base) {
            return base;
        }
    }

    /**
     * {@code base * factor^floor(step / every)}.
     *
     * @param every  steps between two decays, &gt;= 1
     * @param factor multiplier per decay, in (0, 1]
     */
    record StepDecay(long every, double factor) implements LearningRateSchedule {
        /**
         * Validates the fields.
         *
         * @param every steps between two decays, &gt;= 1
         * @param factor multiplier per decay, in (0, 1]
         */
        public StepDecay {
            if (every < 1) {
                throw new IllegalArgumentException("StepDecay: every must be >= 1, got " + every);
            }
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("StepDecay: factor must be in (0, 1], got " + factor);
            }
        }

        @Override
        public double rate(long step, double base) {
            return base * Math.pow(factor, Math.floorDiv(Math.max(step, 0), every));
        }
    }

    /**
     * Cosine annealing from the base rate to a floor over a number of steps.
     *
     * @param steps length of the annealing, &gt;= 1
     * @param floor the final rate, &gt;= 0 and finite
     */
    record Cosine(long steps, double floor) implements LearningRateSchedule {
        /**
         * Validates the fields.
         *
         * @param steps length of the annealing, &gt;= 1
         * @param floor the final rate, &gt;= 0 and finite
         */
        public Cosine {
            if (steps < 1) {
                throw new IllegalArgumentException("Cosine: steps must be >= 1, got " + steps);
            }
            if (!(floor >= 0 && Double.isFinite(floor))) {
                throw new IllegalArgumentException("Cosine: floor must be finite and >= 0, got " + floor);
            }
        }

        @Override
        public double rate(long step, double base) {
            double t = (double) Math.min(Math.max(step, 0), steps) / steps;
            return floor + (base - floor) * (1 + Math.cos(Math.PI * t)) / 2;
        }
    }

    /**
     * A linear warm-up in front of another schedule.
     *
     * @param steps length of the warm-up, &gt;= 1
     * @param after the schedule that follows, seeing its own step 0 when the warm-up ends
     */
    record Warmup(long steps, LearningRateSchedule after) implements LearningRateSchedule {
        /**
         * Validates the fields.
         *
         * @param steps length of the warm-up, &gt;= 1
         * @param after the schedule that follows, seeing its own step 0 when the warm-up ends
         */
        public Warmup {
            if (steps < 1) {
                throw new IllegalArgumentException("Warmup: steps must be >= 1, got " + steps);
            }
            if (after == null) {
                throw new IllegalArgumentException("Warmup: the following schedule must be set");
            }
        }

        @Override
        public double rate(long step, double base) {
            if (step < steps) {
                return base * (Math.max(step, 0) + 1) / steps;
            }
            return after.rate(step - steps, base);
        }
    }
}
