package io.github.unet4j.core;

/**
 * What a training forward of a {@link UNet} keeps for backward.
 *
 * <p>Memory against time, as {@code torch.utils.checkpoint} trades them: the paper's network on
 * a 572x572 tile caches about 650 MB of activations with {@link #KEEP}; with {@link #RECOMPUTE}
 * it keeps only the blocks' outputs (about 230 MB) and runs each block's forward again just
 * before its backward, which costs about one more forward pass per step. Gradients are the same.
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
