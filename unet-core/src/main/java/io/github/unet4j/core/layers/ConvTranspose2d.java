package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.Saved;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.ops.NativeOps;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's 2x2 up-convolution: a transposed convolution with kernel 2 and stride 2.
 *
 * <p>Input {@code [N, inC, H, W]}, weight {@code [inC, outC, 2, 2]} (PyTorch's layout), bias
 * {@code [outC]}, output {@code [N, outC, 2H, 2W]}: each input pixel paints one 2x2 block.
 */
public final class ConvTranspose2d implements Layer {
    private static final int K = 2;
    private final String name;
    private final int inChannels;
    private final int outChannels;
    private final Parameter weight;
    private final Parameter bias;
    private Saved input;

    /**
     * @param name        path in the network
     * @param inChannels  input channels
     * @param outChannels output channels (the paper halves them)
     * @param withBias    whether to add a bias (redundant when a batch norm follows)
     * @param dtype       parameter data type
     */
    public ConvTranspose2d(String name, int inChannels, int outChannels, boolean withBias, DataType dtype) {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("ConvTranspose2d '" + name + "': channels must be >= 1, got in="
                    + inChannels + " out=" + outChannels);
        }
        this.name = name;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        // With stride = kernel every output pixel is reached by exactly one kernel tap of each
        // input channel, so a unit has inC inputs.
        this.weight = new Parameter(name + ".weight", Parameter.Kind.WEIGHT, inChannels, dtype,
                inChannels, outChannels, K, K);
        this.bias = withBias ? new Parameter(name + ".bias", Parameter.Kind.BIAS, 0, dtype, outChannels) : null;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the kernel, {@code [inC, outC, 2, 2]} */
    public Parameter weight() {
        return weight;
    }

    /** @return the bias {@code [outC]}, or null without one */
    public Parameter bias() {
        return bias;
    }

    @Override
    public long[] outputShape(long[] in) {
        Shapes.requireNchw("ConvTranspose2d '" + name + "'", in, inChannels);
        return new long[] {in[0], outChannels, in[2] * K, in[3] * K};
    }

    /**
     * @param x {@code [N, inC, H, W]}
     * @return {@code [N, outC, 2H, 2W]}
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        outputShape(x.shape());
        input = mode == Mode.TRAIN ? Saved.of(x) : null;
        return NativeOps.deconv2d(x, weight.value(), bias == null ? null : bias.value(), K);
    }

    /** dL/dx, and dL/dW, dL/db added into the parameters' gradients. */
    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray x = Cache.require(input, "ConvTranspose2d '" + name + "'");
        input = null;
        return NativeOps.deconv2dBackward(x, gradOut, weight, bias, K);
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
