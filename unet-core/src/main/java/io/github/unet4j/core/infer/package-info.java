/**
 * Segmentation with a trained network: the paper's overlap-tile strategy with mirrored context
 * ({@link io.github.unet4j.core.infer.OverlapTile}, on float arrays or an {@code INDArray}),
 * class probabilities of a {@link io.github.unet4j.core.UNet}
 * ({@link io.github.unet4j.core.infer.UNetTileModel}), test-time augmentation over the 8 flips
 * and quarter turns ({@link io.github.unet4j.core.infer.Dihedral}) and mirror padding.
 */
package io.github.unet4j.core.infer;
