package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.Tensors;
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
    private INDArray input;

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
     * Runs over bands of input rows ({@link RowBands}): input rows {@code [r, e)} make output
     * rows {@code [2r, 2e)}, so bands do not overlap.
     *
     * @param x {@code [N, inC, H, W]}
     * @return {@code [N, outC, 2H, 2W]}
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        long[] outShape = outputShape(x.shape());
        input = mode == Mode.TRAIN ? x : null;
        INDArray b = bias == null ? null : bias.value();
        INDArray y = Tensors.allocate(x.dataType(), outShape);
        for (RowBands.Band band : bands(x.shape(), outShape)) {
            NativeOps.deconv2dInto(RowBands.rows(x, band.from(), band.to()), weight.value(), b, K,
                    RowBands.rows(y, band.from() * K, band.to() * K));
        }
        return y;
    }

    /** Bands of input rows; bytes per input row count the K output rows it makes. */
    private List<RowBands.Band> bands(long[] in, long[] out) {
        int width = weight.value().dataType().width();
        long bytesPerRow = in[0] * (in[1] * in[3] + K * out[1] * out[3]) * width;
        return RowBands.of(in[2], bytesPerRow, weight.value().length() * width);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray x = Cache.require(input, "ConvTranspose2d '" + name + "'");
        INDArray b = bias == null ? null : bias.value();
        INDArray dx = Tensors.allocate(x.dataType(), x.shape());
        INDArray dw = Tensors.allocate(weight.value().dataType(), weight.shape());
        INDArray db = b == null ? null : Tensors.allocate(b.dataType(), bias.shape());
        for (RowBands.Band band : bands(x.shape(), gradOut.shape())) {
            NativeOps.deconv2dBackwardInto(RowBands.rows(x, band.from(), band.to()), weight.value(), b,
                    RowBands.rows(gradOut, band.from() * K, band.to() * K), K,
                    RowBands.rows(dx, band.from(), band.to()), dw, db);
            NativeOps.accumulate(weight, bias, dw, db);
        }
        Tensors.release(dw);
        Tensors.release(db);
        input = null;
        return dx;
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
