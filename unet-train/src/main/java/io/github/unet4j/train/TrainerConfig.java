package io.github.unet4j.train;

import java.nio.file.Path;

/**
 * How long and how a {@link Trainer} runs.
 *
 * @param steps            optimiser steps in total (a resumed run continues to this count)
 * @param batchSize        tiles per step (paper: 1 large tile)
 * @param seed             the run's seed; sampling, augmentation and dropout of step s derive from (seed, s)
 * @param validateEvery    validate every this many steps (0 = never during training)
 * @param checkpointEvery  also write a checkpoint every this many steps (0: only the one at the end)
 * @param checkpoint       where checkpoints go (overwritten atomically; always one at the end), or null for none
 * @param divergenceFactor a loss above this factor times the mean of the first 20 losses counts as diverged
 */
public record TrainerConfig(long steps, int batchSize, long seed, long validateEvery, long checkpointEvery,
        Path checkpoint, double divergenceFactor) {

    /** Validates every field. */
    public TrainerConfig {
        if (steps < 0) {
            throw new IllegalArgumentException("TrainerConfig: steps must be >= 0, got " + steps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("TrainerConfig: batchSize must be >= 1, got " + batchSize);
        }
        if (validateEvery < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("TrainerConfig: validateEvery and checkpointEvery must be >= 0, got "
                    + validateEvery + " and " + checkpointEvery);
        }
        if (!(divergenceFactor > 1)) {
            throw new IllegalArgumentException("TrainerConfig: divergenceFactor must be > 1, got " + divergenceFactor);
        }
    }

    /**
     * @param steps optimiser steps
     * @param seed  seed
     * @return batch 1, no validation, no checkpoints, divergence at 100x the initial loss
     */
    public static TrainerConfig of(long steps, long seed) {
        return new TrainerConfig(steps, 1, seed, 0, 0, null, 100);
    }

    /** @param v steps @return a copy */
    public TrainerConfig withSteps(long v) {
        return new TrainerConfig(v, batchSize, seed, validateEvery, checkpointEvery, checkpoint, divergenceFactor);
    }

    /** @param v batch size @return a copy */
    public TrainerConfig withBatchSize(int v) {
        return new TrainerConfig(steps, v, seed, validateEvery, checkpointEvery, checkpoint, divergenceFactor);
    }

    /** @param v validation interval @return a copy */
    public TrainerConfig withValidateEvery(long v) {
        return new TrainerConfig(steps, batchSize, seed, v, checkpointEvery, checkpoint, divergenceFactor);
    }

    /**
     * @param path the checkpoint file, written once, at the end
     * @return a copy
     */
    public TrainerConfig withCheckpointAtEnd(Path path) {
        return new TrainerConfig(steps, batchSize, seed, validateEvery, 0, java.util.Objects.requireNonNull(path,
                "path"), divergenceFactor);
    }

    /**
     * @param every also write it every this many steps, at least 1
     * @param path  the checkpoint file, overwritten each time and at the end
     * @return a copy
     */
    public TrainerConfig withCheckpointEvery(long every, Path path) {
        if (every < 1) {
            throw new IllegalArgumentException("TrainerConfig: a checkpoint every " + every + " steps; give at least 1,"
                    + " or use withCheckpointAtEnd");
        }
        return new TrainerConfig(steps, batchSize, seed, validateEvery, every, java.util.Objects.requireNonNull(path,
                "path"), divergenceFactor);
    }

    /** @param v divergence factor @return a copy */
    public TrainerConfig withDivergenceFactor(double v) {
        return new TrainerConfig(steps, batchSize, seed, validateEvery, checkpointEvery, checkpoint, v);
    }
}
