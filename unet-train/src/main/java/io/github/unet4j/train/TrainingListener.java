package io.github.unet4j.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Hooks into a {@link Trainer}'s run, for logging, progress bars, plots or early stopping.
 * Called on the training thread in this order: begin, (step, [validation], stop?, [checkpoint])*,
 * end. Ready-made ones are in {@link io.github.unet4j.train.listeners}.
 */
public interface TrainingListener {

    /**
     * @param startStep  the step the run starts from (0, or the step of a resumed checkpoint)
     * @param steps      the step it runs to
     */
    default void onTrainingBegin(long startStep, long steps) {
    }

    /** @param result the step just done */
    default void onStep(StepResult result) {
    }

    /**
     * @param step    the step after which validation ran
     * @param metrics metric name to value, in a fixed order
     */
    default void onValidation(long step, Map<String, Double> metrics) {
    }

    /**
     * @param step the step saved
     * @param path the checkpoint file
     */
    default void onCheckpoint(long step, Path path) {
    }

    /**
     * Asked after each step (and its validation): true ends the run there, with the final
     * checkpoint written at that step.
     *
     * @return whether to stop now
     */
    default boolean stopRequested() {
        return false;
    }

    /** @param step the last step done */
    default void onTrainingEnd(long step) {
    }

    /**
     * @param f what to do after each step
     * @return a listener of steps only: {@code trainer.addListener(TrainingListener.onStep(r -> ...))}
     */
    static TrainingListener onStep(java.util.function.Consumer<StepResult> f) {
        java.util.Objects.requireNonNull(f, "f");
        return new TrainingListener() {
            @Override
            public void onStep(StepResult result) {
                f.accept(result);
            }
        };
    }

    /**
     * @param f what to do after each validation, given the step and the metrics
     * @return a listener of validations only
     */
    static TrainingListener onValidation(java.util.function.BiConsumer<Long, Map<String, Double>> f) {
        java.util.Objects.requireNonNull(f, "f");
        return new TrainingListener() {
            @Override
            public void onValidation(long step, Map<String, Double> metrics) {
                f.accept(step, metrics);
            }
        };
    }
}
