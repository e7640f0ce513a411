package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.Tensors;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2x2 max pooling with stride 2, the paper's down-sampling step.
 *
 * <p>Input {@code [N, C, H, W]} with H and W even, output {@code [N, C, H/2, W/2]}. An odd size
 * is an error rather than a silent crop: it would misalign the skip connection.
 */
public final class MaxPool2d implements Layer {
    private static final int K = 2;
    private final String name;
    private INDArray input;

    /** @param name path in the network */
    public MaxPool2d(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long[] outputShape(long[] in) {
        String what = "MaxPool2d '" + name + "'";
        if (in.length != 4) {
            throw new ShapeException(what + ": got a rank " + in.length + " input of shape " + Shapes.str(in)
                    + ", expected rank 4 [N, C, H, W]");
        }
        if (in[2] % K != 0 || in[3] % K != 0 || in[2] < K || in[3] < K) {
            throw new ShapeException(what + ": got input shape " + Shapes.str(in) + ", expected an even height and"
                    + " width >= 2 for 2x2 pooling (H=" + in[2] + ", W=" + in[3] + "); choose a valid tile size");
        }
        return new long[] {in[0], in[1], in[2] / K, in[3] / K};
    }

    /**
     * Runs over bands of output rows ({@link RowBands}): output rows {@code [r, e)} come from
     * input rows {@code [2r, 2e)}, so bands do not overlap.
     *
     * @param x {@code [N, C, H, W]}, H and W even
     * @return {@code [N, C, H/2, W/2]}
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        long[] outShape = outputShape(x.shape());
        input = mode == Mode.TRAIN ? x : null;
        INDArray y = Tensors.allocate(x.dataType(), outShape);
        for (RowBands.Band band : bands(x.shape(), outShape, x.dataType())) {
            NativeOps.maxPool2dInto(RowBands.rows(x, band.from() * K, band.to() * K), K,
                    RowBands.rows(y, band.from(), band.to()));
        }
        return y;
    }

    /** Bands of output rows; bytes per output row count the K input rows it reads. */
    private static List<RowBands.Band> bands(long[] in, long[] out, DataType dtype) {
        return RowBands.of(out[2], in[0] * in[1] * (K * in[3] + out[3]) * dtype.width(), 0);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray x = Cache.require(input, "MaxPool2d '" + name + "'");
        INDArray dx = Tensors.allocate(x.dataType(), x.shape());
        for (RowBands.Band band : bands(x.shape(), gradOut.shape(), x.dataType())) {
            NativeOps.maxPool2dBackwardInto(RowBands.rows(x, band.from() * K, band.to() * K),
                    RowBands.rows(gradOut, band.from(), band.to()), K,
                    RowBands.rows(dx, band.from() * K, band.to() * K));
        }
        input = null;
        return dx;
    }

    @Override
    public void clearCache() {
        input = null;
    }
}
