package io.github.unet4j.core;

/**
 * What a training forward of a {@link UNet} keeps for backward.
 *
 * <p>Memory against time, as {@code torch.utils.checkpoint} trades them: with {@link #RECOMPUTE}
 * a training forward keeps only the top-level blocks' outputs and runs each block's forward
 * again just before its backward, which costs about one more forward pass per step, for about
 * 40% less memory held by activations (docs/performance.md). Gradients are the same. With
 * {@link #KEEP_BF16} it keeps everything at half the size.
 */
public enum Activations {
    /** Cache every activation backward needs (the fastest). */
    KEEP,
    /**
     * Keep only each block's output; recompute the block's inner activations during backward
     * (for tiles larger than memory allows otherwise).
     */
    RECOMPUTE,
    /**
     * Cache every activation backward needs, each float one stored as bfloat16 from its last
     * reader's forward until the first backward that reads it (it takes half its memory
     * meanwhile; the two conversions, round to nearest even and back, run in native code).
     * Meant for {@code Precision.BF16}, whose convolutions round what they read to bfloat16
     * anyway, so their gradients are the same as under KEEP; max pooling and ReLU read the
     * rounded values (ReLU's mask, the sign, does not change; two values of a pooling window may
     * round to a tie, and the first then takes the gradient). Under FLOAT precision the
     * convolutions' dL/dW read the rounded inputs too: bfloat16 activation storage, a memory
     * saving with bfloat16's 8-bit mantissa in dL/dW. Double arrays are kept whole, and a layer
     * that keeps plain references ({@link Layer#cachesAsSaved()} false, e.g. batch norm) keeps
     * its arrays as they are.
     */
    KEEP_BF16
}
