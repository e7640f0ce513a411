package io.github.unet4j.core;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable map from one {@code [N, C, H, W]} tensor to another, with its backward pass
 * written next to its forward.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #forward} in {@link Mode#TRAIN} caches what {@link #backward} needs; in
 *       {@link Mode#INFER} it caches nothing and {@code backward} then fails.</li>
 *   <li>Memory: a layer frees ({@link BufferPool#release}) only the temporaries it creates
 *       itself. Its input, output and gradients belong to whoever runs it: in a network, the
 *       {@link io.github.unet4j.core.graph.Tape}, which frees each array after the backward of its
 *       last reader. The output is a new array or, for an in-place layer, the input changed in
 *       place. A backward consumes the caches of its forward: one backward per training
 *       forward.</li>
 *   <li>{@link #backward} takes dL/dOutput of the last training forward and returns dL/dInput;
 *       it <em>adds</em> dL/dParameter into each parameter's gradient.</li>
 *   <li>{@link #outputShape} computes the output shape without running, and fails with the same
 *       message as {@code forward} for an input the layer cannot take.</li>
 * </ul>
 */
public interface Layer {

    /** @return the layer's path in its network, used in parameter names and error messages */
    String name();

    /**
     * Runs the layer.
     *
     * @param input {@code [N, C, H, W]}
     * @param mode  training (cache for backward) or inference
     * @return the output, shape {@link #outputShape(long[])} of the input's shape
     */
    INDArray forward(INDArray input, Mode mode);

    /**
     * Back-propagates through the last training forward.
     *
     * @param gradOutput dL/dOutput, the shape of the last output
     * @return dL/dInput, the shape of the last input
     */
    INDArray backward(INDArray gradOutput);

    /**
     * Drops what the last training forward cached, freeing the arrays the layer created for it,
     * so that its memory is returned without a backward (used when activations are recomputed
     * instead of kept). A backward after it fails as one without a training forward.
     */
    default void clearCache() {
    }

    /**
     * @param inputShape {@code [N, C, H, W]}
     * @return the output shape for that input
     */
    long[] outputShape(long[] inputShape);

    /** @return the trainable parameters, in a fixed order */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** @return the non-trainable state saved with the parameters */
    default List<Buffer> buffers() {
        return List.of();
    }

    /**
     * @return whether a second training forward on the same input gives the same output and
     *         caches (false for dropout, whose mask is drawn anew): only blocks of recomputable
     *         layers are recomputed under {@link Activations#RECOMPUTE}
     */
    default boolean recomputable() {
        return true;
    }

    /**
     * @return whether backward reads this layer's input (so it must live until then); false
     *         lets whoever runs the layer free the input as soon as no other layer needs it
     */
    default boolean cachesInput() {
        return true;
    }

    /**
     * @return whether the layer keeps what its backward reads from forward (the cached input or
     *         output) through {@link Saved}, and its backward is still right when that comes back
     *         rounded to bfloat16, as {@link Activations#KEEP_BF16} stores it (a backward that
     *         rounds it anyway, or reads only signs or order); false, the default, for a layer
     *         with plain references, whose arrays are then kept as they are
     */
    default boolean cachesAsSaved() {
        return false;
    }

    /** @return whether backward reads this layer's output (ReLU does: its mask is y &gt; 0) */
    default boolean cachesOutput() {
        return false;
    }

    /** Sets every parameter gradient to zero. */
    default void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }
}
