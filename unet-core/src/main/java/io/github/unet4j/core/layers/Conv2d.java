package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.Saved;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.ops.NativeOps;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A k x k convolution with stride 1 and an optional bias.
 *
 * <p>Input {@code [N, inC, H, W]}, weight {@code [outC, inC, k, k]}, bias {@code [outC]},
 * output {@code [N, outC, H', W']} with {@code H' = H - k + 1} for {@link Padding#VALID} (the
 * paper's unpadded convolution) and {@code H' = H} for {@link Padding#SAME} (odd k only).
 */
public final class Conv2d implements Layer {
    private final String name;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final Padding padding;
    private final Parameter weight;
    private final Parameter bias;
    private Saved input;

    /**
     * @param name        path in the network
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param kernel      kernel size k (odd for SAME)
     * @param padding     VALID or SAME
     * @param withBias    whether to add a bias (off before batch norm, which has its own shift)
     * @param dtype       parameter data type
     */
    public Conv2d(String name, int inChannels, int outChannels, int kernel, Padding padding, boolean withBias,
            DataType dtype) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1) {
            throw new IllegalArgumentException("Conv2d '" + name + "': channels and kernel must be >= 1, got in="
                    + inChannels + " out=" + outChannels + " k=" + kernel);
        }
        if (padding == Padding.SAME && kernel % 2 == 0) {
            throw new IllegalArgumentException("Conv2d '" + name + "': SAME padding needs an odd kernel, got " + kernel);
        }
        this.name = name;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.padding = padding;
        this.weight = new Parameter(name + ".weight", Parameter.Kind.WEIGHT, (long) inChannels * kernel * kernel,
                dtype, outChannels, inChannels, kernel, kernel);
        this.bias = withBias ? new Parameter(name + ".bias", Parameter.Kind.BIAS, 0, dtype, outChannels) : null;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the kernel size k */
    public int kernel() {
        return kernel;
    }

    /** @return VALID or SAME */
    public Padding padding() {
        return padding;
    }

    /** @return the kernel, {@code [outC, inC, k, k]} */
    public Parameter weight() {
        return weight;
    }

    /** @return the bias {@code [outC]}, or null without one */
    public Parameter bias() {
        return bias;
    }

    @Override
    public long[] outputShape(long[] in) {
        Shapes.requireNchw(what(), in, inChannels);
        if (padding == Padding.SAME) {
            return new long[] {in[0], outChannels, in[2], in[3]};
        }
        if (in[2] < kernel || in[3] < kernel) {
            throw new ShapeException(what() + ": input shape " + Shapes.str(in) + " is smaller than the " + kernel
                    + "x" + kernel + " kernel; an unpadded convolution needs H, W >= " + kernel);
        }
        return new long[] {in[0], outChannels, in[2] - kernel + 1, in[3] - kernel + 1};
    }

    private String what() {
        return "Conv2d '" + name + "'";
    }

    /**
     * @param x {@code [N, inC, H, W]}
     * @return {@code [N, outC, H', W']}, see the class comment for H'
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        outputShape(x.shape());
        input = mode == Mode.TRAIN ? Saved.of(x) : null;
        return NativeOps.conv2d(x, weight.value(), bias == null ? null : bias.value(), kernel, padding);
    }

    /** dL/dx, and dL/dW, dL/db added into the parameters' gradients. */
    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray x = Cache.require(input, what());
        input = null;
        return NativeOps.conv2dBackward(x, gradOut, weight, bias, kernel, padding);
    }

    /** Kept through {@link Saved}; backward reads x only for dL/dW, which in bf16 precision rounds x to bfloat16 anyway. */
    @Override
    public boolean cachesAsSaved() {
        return true;
    }

    @Override
    public void clearCache() {
        input = null;
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }
}
