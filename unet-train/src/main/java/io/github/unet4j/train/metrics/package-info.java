/**
 * Segmentation metrics of the ISBI 2012 EM segmentation challenge and per-class overlap
 * scores, in plain Java over row-major {@code int} label images.
 *
 * <p>{@link io.github.unet4j.train.metrics.LabelImage} holds a label image;
 * {@link io.github.unet4j.train.metrics.MembraneLabel} says which values mean membrane
 * (boundary) and which mean cell interior. Segments are the 4-connected components of the
 * cell pixels ({@link io.github.unet4j.train.metrics.CellSegments}).
 * {@link io.github.unet4j.train.metrics.ForegroundRestrictedScores} computes the
 * foreground-restricted Rand and information-theoretic F-scores (V_rand, V_info) of
 * Arganda-Carreras et al. (2015), {@link io.github.unet4j.train.metrics.ClassOverlap} the
 * intersection over union and Dice coefficient per class, and
 * {@link io.github.unet4j.train.metrics.SegmentationMetrics} bundles them with the pixel error.
 *
 * <p>All inputs must have the same size; otherwise an {@link java.lang.IllegalArgumentException}
 * names both sizes.
 */
package io.github.unet4j.train.metrics;
