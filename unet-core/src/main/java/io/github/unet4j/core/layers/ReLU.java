package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Saved;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.ops.NativeOps;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * max(0, x), element-wise; any shape.
 *
 * <p>In place, forward overwrites its input instead of allocating an output of the same size, and
 * backward writes dL/dx over that output (the activation it cached) instead of allocating the
 * gradient: right for a ReLU after a convolution or batch norm whose output nothing reads after
 * this layer's backward (those layers cache their inputs, not their outputs), as in
 * {@code DoubleConv}. After an in-place backward the forward output holds the gradient.
 */
public final class ReLU implements Layer {
    private final String name;
    private final boolean inPlace;
    private Saved output;

    /** @param name path in the network */
    public ReLU(String name) {
        this(name, false);
    }

    /**
     * @param name    path in the network
     * @param inPlace whether forward overwrites its input
     */
    public ReLU(String name, boolean inPlace) {
        this.name = name;
        this.inPlace = inPlace;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long[] outputShape(long[] in) {
        if (in.length == 0) {
            throw new ShapeException("ReLU '" + name + "': got a scalar shape " + Shapes.str(in));
        }
        return in.clone();
    }

    /**
     * @param x any shape, e.g. {@code [N, C, H, W]}
     * @return same shape
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        INDArray y = Transforms.relu(x, !inPlace);
        output = mode == Mode.TRAIN ? Saved.of(y) : null;
        return y;
    }

    /**
     * dL/dx = dL/dy where y &gt; 0, else 0. The output is cached, not the input: y &gt; 0 exactly
     * where x &gt; 0, and the input of a ReLU is usually freed after its convolution.
     */
    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray y = Cache.require(output, "ReLU '" + name + "'");
        output = null;
        if (inPlace) {
            // Elementwise, so the mask can be read from y while dx overwrites it: no new array,
            // and the activation's memory is freed with the gradient instead of after it.
            return NativeOps.reluBackwardInto(y, gradOut, y);
        }
        return NativeOps.reluBackward(y, gradOut);
    }

    /** Backward reads the output (y &gt; 0 exactly where x &gt; 0), not the input. */
    @Override
    public boolean cachesInput() {
        return false;
    }

    @Override
    public boolean cachesOutput() {
        return true;
    }

    /** Kept through {@link Saved}; backward reads only where y &gt; 0, which rounding to nearest keeps. */
    @Override
    public boolean cachesAsSaved() {
        return true;
    }

    @Override
    public void clearCache() {
        output = null;
    }
}
