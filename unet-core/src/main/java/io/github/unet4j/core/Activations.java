package io.github.unet4j.core;

/**
 * What a training forward of a {@link UNet} keeps for backward.
 *
 * <p>Memory against time, as {@code torch.utils.checkpoint} trades them: with {@link #RECOMPUTE}
 * a training forward keeps only the top-level blocks' outputs and runs each block's forward
 * again just before its backward, which costs about one more forward pass per step, for about
 * 40% less memory held by activations (docs/performance.md). Gradients are the same.
 */
public enum Activations {
    /** Cache every activation backward needs (the fastest). */
    KEEP,
    /**
     * Keep only each block's output; recompute the block's inner activations during backward
     * (for tiles larger than memory allows otherwise).
     */
    RECOMPUTE
}
