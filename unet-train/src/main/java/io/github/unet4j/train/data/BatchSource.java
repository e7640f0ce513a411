package io.github.unet4j.train.data;

import java.util.random.RandomGenerator;

/**
 * Where a {@link io.github.unet4j.train.Trainer}'s batches come from: {@link TileSampler} draws
 * the paper's augmented tiles; a user's own source (pre-cut tiles, another sampling scheme)
 * implements this.
 */
public interface BatchSource {

    /**
     * @param batchSize tiles in the batch
     * @param rng       the generator of every random choice (derived from the run's seed and the
     *                  step, so that a run is reproducible and resumable)
     * @return input {@code [B, C, in, in]}, target and weight {@code [B, out, out]}
     */
    Batch next(int batchSize, RandomGenerator rng);
}
