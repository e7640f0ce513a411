/**
 * The U-Net of Ronneberger, Fischer and Brox (MICCAI 2015) and the contracts its parts follow.
 *
 * <p>{@link io.github.unet4j.core.UNet} is built from an immutable
 * {@link io.github.unet4j.core.UNetConfig}; every part is a {@link io.github.unet4j.core.Layer}
 * with explicit forward and backward on ND4J's native ops, whose trainable tensors are
 * {@link io.github.unet4j.core.Parameter}s. BufferPool are {@code [N, C, H, W]} (NCHW).
 * {@link io.github.unet4j.core.BufferPool} frees the network's arrays when they die and reuses
 * their buffers; {@link io.github.unet4j.core.Activations} trades memory for time.
 */
package io.github.unet4j.core;
