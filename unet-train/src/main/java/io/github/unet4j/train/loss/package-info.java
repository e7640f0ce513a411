/**
 * Segmentation losses on raw network outputs, each returning its value and the gradient with
 * respect to the logits for the backward pass.
 *
 * <p>{@link io.github.unet4j.train.loss.WeightedCrossEntropy} is the pixel-wise weighted softmax
 * cross-entropy of the U-Net paper (Ronneberger, Fischer and Brox, MICCAI 2015, eq. 1), to be
 * used with the weight map of {@code io.github.unet4j.train.weightmap}.
 * {@link io.github.unet4j.train.loss.BinaryCrossEntropy} is its one-channel sigmoid variant,
 * {@link io.github.unet4j.train.loss.SoftDiceLoss} the overlap loss common in later work, and
 * {@link io.github.unet4j.train.loss.DiceCrossEntropy} a weighted sum of the two kinds. All
 * implement {@link io.github.unet4j.train.loss.Loss}; all maths runs as ND4J array operations
 * in the data type of the logits (FLOAT or DOUBLE), with scalar sums taken in double.
 */
package io.github.unet4j.train.loss;
