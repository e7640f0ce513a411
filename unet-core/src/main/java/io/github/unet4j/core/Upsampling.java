package io.github.unet4j.core;

/** How the expanding path doubles the resolution. */
public enum Upsampling {
    /** The paper's 2x2 up-convolution (transposed convolution, stride 2) that halves the channels. */
    TRANSPOSED,
    /**
     * Bilinear up-sampling (no parameters, channels kept) followed, after the concatenation, by
     * the double convolution that reduces the channels: the common PyTorch variant.
     */
    BILINEAR
}
