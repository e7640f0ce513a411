package io.github.unet4j.core;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Layer} of several inputs, such as the paper's crop-and-concatenate or a residual
 * sum. The contract is {@link Layer}'s: forward in {@link Mode#TRAIN} caches what backward needs,
 * backward returns the gradient of every input and adds into parameter gradients.
 */
public interface MultiInputLayer {

    /** @return the layer's path in its network */
    String name();

    /**
     * @param mode   training (cache for backward) or inference
     * @param inputs the inputs, in the layer's order
     * @return the output: a new array, or one of the inputs changed in place
     */
    INDArray forward(Mode mode, INDArray... inputs);

    /**
     * @param gradOut dL/dOutput
     * @return dL/dInput for every input, in order: whole arrays or crop windows ({@link Grad})
     */
    Grad[] backward(INDArray gradOut);

    /**
     * @param inputShapes the inputs' shapes
     * @return the output shape; fails as forward would for inputs it cannot take
     */
    long[] outputShape(long[]... inputShapes);

    /** Drops what the last training forward cached, without a backward. */
    default void clearCache() {
    }

    /** @return the trainable parameters, in a fixed order */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** @return the non-trainable state */
    default List<Buffer> buffers() {
        return List.of();
    }

    /**
     * @param input which input
     * @return whether backward reads that input (see {@link Layer#cachesInput()})
     */
    default boolean cachesInput(int input) {
        return true;
    }

    /**
     * @return whether the inputs and output backward reads are kept through {@link Saved} and may
     *         come back rounded to bfloat16 (see {@link Layer#cachesAsSaved()})
     */
    default boolean cachesAsSaved() {
        return false;
    }

    /** @return whether backward reads the output */
    default boolean cachesOutput() {
        return false;
    }

    /** @return whether a second training forward on the same inputs gives the same result */
    default boolean recomputable() {
        return true;
    }
}
