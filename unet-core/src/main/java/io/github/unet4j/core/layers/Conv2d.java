package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.Tensors;
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
    private INDArray input;

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
     * VALID convolutions run over bands of output rows ({@link RowBands}); SAME ones in one call,
     * as their zero padding of the top and bottom rows cannot be split.
     *
     * @param x {@code [N, inC, H, W]}
     * @return {@code [N, outC, H', W']}, see the class comment for H'
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        long[] outShape = outputShape(x.shape());
        input = mode == Mode.TRAIN ? x : null;
        INDArray b = bias == null ? null : bias.value();
        INDArray y = Tensors.allocate(x.dataType(), outShape);
        for (RowBands.Band band : bands(x.shape(), outShape)) {
            NativeOps.conv2dInto(inputRows(x, band), weight.value(), b, kernel, padding,
                    RowBands.rows(y, band.from(), band.to()));
        }
        return y;
    }

    private List<RowBands.Band> bands(long[] in, long[] out) {
        int width = weight.value().dataType().width();
        long bytesPerRow = in[0] * (in[1] * in[3] + out[1] * out[3]) * width;
        return padding == Padding.VALID ? RowBands.of(out[2], bytesPerRow, weight.value().length() * width)
                : List.of(new RowBands.Band(0, out[2]));
    }

    /** The input rows a band of output rows reads: k - 1 more (all of them for SAME's single band). */
    private INDArray inputRows(INDArray a, RowBands.Band band) {
        return RowBands.rows(a, band.from(), Math.min(a.size(2), band.to() + kernel - 1));
    }

    /**
     * Over bands as in forward. With several bands, each band's input gradient is computed into a
     * contiguous scratch array and then copied into its rows of dx: {@code conv2d_bp} writes a
     * row band of a larger array (a strided view) 2-2.5x slower than a contiguous array, as it
     * first zero-fills it with a strided scalar op (measured on 100-row bands of a 16-channel
     * 394x394 input: 8.6 ms against 3.4 ms). The input rows of neighbouring bands overlap by
     * k - 1, so a band's first k - 1 rows are added to what the previous band left there.
     */
    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray x = Cache.require(input, what());
        INDArray b = bias == null ? null : bias.value();
        INDArray dx = Tensors.allocate(x.dataType(), x.shape());
        INDArray dw = Tensors.allocate(weight.value().dataType(), weight.shape());
        INDArray db = b == null ? null : Tensors.allocate(b.dataType(), bias.shape());
        List<RowBands.Band> bands = bands(x.shape(), gradOut.shape());
        INDArray scratch = bands.size() > 1 ? RowBands.scratch(x, bands, kernel - 1) : null;
        for (RowBands.Band band : bands) {
            INDArray xRows = inputRows(x, band);
            INDArray dxRows = scratch == null ? dx : RowBands.contiguous(scratch, xRows.shape());
            NativeOps.conv2dBackwardInto(xRows, weight.value(), b, RowBands.rows(gradOut, band.from(), band.to()),
                    kernel, padding, dxRows, dw, db);
            if (scratch != null) {
                long shared = band.first() ? 0 : kernel - 1;
                long rows = xRows.size(2);
                if (shared > 0) {
                    NativeOps.addInto(RowBands.rows(dx, band.from(), band.from() + shared),
                            RowBands.rows(dxRows, 0, shared));
                }
                RowBands.rows(dx, band.from() + shared, band.from() + rows)
                        .assign(RowBands.rows(dxRows, shared, rows));
            }
            NativeOps.accumulate(weight, bias, dw, db);
        }
        Tensors.release(scratch);
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
