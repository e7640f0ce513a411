package io.github.unet4j.train.loss;

/** How a per-pixel loss is reduced to one number. */
public enum Reduction {
    /** The sum over every counted pixel of every image in the batch. */
    SUM,
    /**
     * The sum divided by the number of counted pixels (pixels not carrying the ignore label),
     * not by the sum of the weights: a weight map then scales the loss as it scales each pixel's
     * contribution, and the loss stays comparable between tiles of different sizes.
     */
    MEAN
}
