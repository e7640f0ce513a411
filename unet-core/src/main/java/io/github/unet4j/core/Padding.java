package io.github.unet4j.core;

/** Padding of the 3x3 convolutions. */
public enum Padding {
    /** No padding, as in the paper: each 3x3 convolution shrinks H and W by 2. */
    VALID,
    /** Zero padding of 1: H and W are kept (the common variant, needs inputs divisible by 2^(depth-1)). */
    SAME
}
