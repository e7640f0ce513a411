/**
 * Data augmentation of the U-Net paper (Ronneberger, Fischer and Brox, 2015) in plain Java over
 * row-major primitive arrays ({@code index = y * width + x}), without ND4J.
 *
 * <p>A {@link io.github.unet4j.train.data.Sample} holds the image channels, the label and the
 * optional weight map. {@link io.github.unet4j.train.augment.ElasticDeformation} draws the
 * paper's smooth random displacement field (a coarse 3x3 grid of Gaussian displacements with a
 * 10 pixel standard deviation, interpolated to every pixel by a bicubic spline) and
 * {@link io.github.unet4j.train.augment.Warp} applies a displacement field to a sample: image
 * and weight map interpolated, labels nearest neighbour, outside the image read by mirror
 * reflection. {@link io.github.unet4j.train.augment.Transforms} holds the exact transforms
 * (flips, quarter turns, integer shifts) and arbitrary rotation,
 * {@link io.github.unet4j.train.augment.GrayValue} the gray-value variation, and
 * {@link io.github.unet4j.core.infer.MirrorPad} the mirror padding of the overlap-tile
 * strategy. {@link io.github.unet4j.train.augment.Augmenter} composes them from an
 * {@link io.github.unet4j.train.augment.AugmentConfig}.
 *
 * <p>Every random choice comes from a {@link java.util.random.RandomGenerator} passed in by the
 * caller, so the same seed gives the same output.
 */
package io.github.unet4j.train.augment;
