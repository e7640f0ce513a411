package io.github.unet4j.core;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trainable tensor with its gradient.
 *
 * <p>The name is the parameter's path in the network ({@code down2.conv.conv1.weight}), the
 * same name the checkpoint uses. Layers <em>add</em> into {@link #grad()} during backward, so a
 * parameter reached twice gets the sum; {@link #zeroGrad()} resets it. Initialisers and
 * optimisers see only parameters, never layers.
 */
public final class Parameter {

    /** What a parameter is, which decides how it is initialised. */
    public enum Kind {
        /** A convolution kernel: initialised from its {@link #fanIn()} (He et al.). */
        WEIGHT,
        /** An additive bias: initialised to zero. */
        BIAS,
        /** Batch-norm scale (gamma): initialised to one. */
        SCALE,
        /** Batch-norm shift (beta): initialised to zero. */
        SHIFT
    }

    private final String name;
    private final Kind kind;
    private final long fanIn;
    private final INDArray value;
    private final INDArray grad;

    /**
     * Creates a zero-valued parameter with a zero gradient.
     *
     * @param name  path in the network, e.g. {@code inc.conv1.weight}
     * @param kind  what the parameter is
     * @param fanIn number of inputs feeding one output unit (for {@link Kind#WEIGHT}), else 0
     * @param dtype data type of value and gradient
     * @param shape shape of the tensor
     */
    public Parameter(String name, Kind kind, long fanIn, DataType dtype, long... shape) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        if (kind == Kind.WEIGHT && fanIn <= 0) {
            throw new IllegalArgumentException("Parameter " + name + ": a weight needs fanIn > 0, got " + fanIn);
        }
        this.fanIn = fanIn;
        this.value = Nd4j.zeros(dtype, shape);
        this.grad = Nd4j.zeros(dtype, shape);
    }

    /** @return the path of this parameter in its network */
    public String name() {
        return name;
    }

    /** @return the kind of this parameter */
    public Kind kind() {
        return kind;
    }

    /** @return inputs feeding one output unit; 0 for non-weights */
    public long fanIn() {
        return fanIn;
    }

    /** @return the value; update it in place ({@code assign}, {@code subi}) to keep views valid */
    public INDArray value() {
        return value;
    }

    /** @return the accumulated gradient, same shape as {@link #value()} */
    public INDArray grad() {
        return grad;
    }

    /** @return the shape of the value */
    public long[] shape() {
        return value.shape();
    }

    /** @return the number of scalars in the value */
    public long size() {
        return value.length();
    }

    /**
     * Sets the gradient to zero: a memset of its buffer (it is never a view), several times
     * faster than an assign op (docs/performance.md, "Measurements behind the code").
     */
    public void zeroGrad() {
        Nd4j.getMemoryManager().memset(grad);
    }

    /**
     * Adds a gradient contribution.
     *
     * @param g gradient of the same shape as the value
     */
    public void accumulate(INDArray g) {
        if (!Arrays.equals(g.shape(), value.shape())) {
            throw new IllegalStateException("Parameter " + name + ": gradient shape " + Arrays.toString(g.shape())
                    + " does not match value shape " + Arrays.toString(value.shape()));
        }
        grad.addi(g);
    }

    @Override
    public String toString() {
        return name + " " + kind + " " + Arrays.toString(value.shape());
    }
}
