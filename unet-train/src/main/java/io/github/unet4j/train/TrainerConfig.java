package io.github.unet4j.train;

import java.nio.file.Path;

/**
 * How long and how a {@link Trainer} runs.
 *
 * @param iterations       optimiser steps in total (a resumed run continues to this count)
 * @param batchSize        tiles per step (paper: 1 large tile)
 * @param seed             the run's seed; sampling, augmentation and dropout of step s derive from (seed, s)
 * @param validateEvery    validate every this many steps (0 = never during training)
 * @param checkpointEvery  write a checkpoint every this many steps (0 = only at the end)
 * @param checkpoint       where checkpoints go (overwritten atomically), or null for none
 * @param divergenceFactor a loss above this factor times the mean of the first 20 losses counts as diverged
 */
public record TrainerConfig(long iterations, int batchSize, long seed, long validateEvery, long checkpointEvery,
        Path checkpoint, double divergenceFactor) {

    /** Validates every field. */
    public TrainerConfig {
        if (iterations < 0) {
            throw new IllegalArgumentException("TrainerConfig: iterations must be >= 0, got " + iterations);
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
     * @param iterations steps
     * @param seed       seed
     * @return batch 1, no validation, no checkpoints, divergence at 100x the initial loss
     */
    public static TrainerConfig of(long iterations, long seed) {
        return new TrainerConfig(iterations, 1, seed, 0, 0, null, 100);
    }

    /** @param v steps @return a copy */
    public TrainerConfig withIterations(long v) {
        return new TrainerConfig(v, batchSize, seed, validateEvery, checkpointEvery, checkpoint, divergenceFactor);
    }

    /** @param v batch size @return a copy */
    public TrainerConfig withBatchSize(int v) {
        return new TrainerConfig(iterations, v, seed, validateEvery, checkpointEvery, checkpoint, divergenceFactor);
    }

    /** @param v validation interval @return a copy */
    public TrainerConfig withValidateEvery(long v) {
        return new TrainerConfig(iterations, batchSize, seed, v, checkpointEvery, checkpoint, divergenceFactor);
    }

    /** @param every checkpoint interval (0 = end only) @param path checkpoint file @return a copy */
    public TrainerConfig withCheckpoint(long every, Path path) {
        return new TrainerConfig(iterations, batchSize, seed, validateEvery, every, path, divergenceFactor);
    }

    /** @param v divergence factor @return a copy */
    public TrainerConfig withDivergenceFactor(double v) {
        return new TrainerConfig(iterations, batchSize, seed, validateEvery, checkpointEvery, checkpoint, v);
    }
}
