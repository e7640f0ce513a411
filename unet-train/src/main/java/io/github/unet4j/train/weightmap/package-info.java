/**
 * The border weight map of the U-Net paper (Ronneberger, Fischer and Brox, MICCAI 2015, eq. 2)
 * and the image primitives it needs, as plain Java over row-major primitive arrays
 * (pixel {@code (x, y)} is at index {@code y * width + x}).
 *
 * <p>{@link io.github.unet4j.train.weightmap.WeightMap} builds
 * {@code w(x) = wc(x) + w0 * exp(-(d1(x) + d2(x))^2 / (2 sigma^2))} from a binary or an instance
 * label image, configured by an immutable
 * {@link io.github.unet4j.train.weightmap.WeightMapConfig}. It uses the exact
 * {@link io.github.unet4j.train.weightmap.EuclideanDistanceTransform} of Felzenszwalb and
 * Huttenlocher and the iterative
 * {@link io.github.unet4j.train.weightmap.ConnectedComponents} labelling.
 */
package io.github.unet4j.train.weightmap;
