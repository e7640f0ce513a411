package io.github.unet4j.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Hooks into a {@link Trainer}'s run, for logging, progress bars, plots or early stopping.
 * Called on the training thread in this order: begin, (step, [validation], [checkpoint])*, end.
 */
public interface TrainingListener {

    /**
     * @param startStep  the step the run starts from (0, or the step of a resumed checkpoint)
     * @param iterations the step it runs to
     */
    default void onTrainingBegin(long startStep, long iterations) {
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

    /** @param step the last step done */
    default void onTrainingEnd(long step) {
    }
}
