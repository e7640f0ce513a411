/**
 * The paper's training recipe: the {@link io.github.unet4j.train.Trainer} loop with its
 * configuration, listeners, validation hook and divergence detection. Sub-packages hold the
 * weight map, augmentation, losses, optimisers, checkpoints, data, inference, image IO and
 * metrics.
 */
package io.github.unet4j.train;
