package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Saved;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.ops.NativeOps;
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
    private Saved input;

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
     * One call on the whole array, without the oneDNN helper ({@link NativeOps#maxPool2dInto}).
     *
     * @param x {@code [N, C, H, W]}, H and W even
     * @return {@code [N, C, H/2, W/2]}
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        long[] outShape = outputShape(x.shape());
        input = mode == Mode.TRAIN ? Saved.of(x) : null;
        INDArray y = BufferPool.allocate(x.dataType(), outShape);
        NativeOps.maxPool2dInto(x, K, y);
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray x = Cache.require(input, "MaxPool2d '" + name + "'");
        INDArray dx = BufferPool.allocate(x.dataType(), x.shape());
        NativeOps.maxPool2dBackwardInto(x, gradOut, K, dx);
        input = null;
        return dx;
    }

    /** Kept through {@link Saved}; backward reads x only to find each window's maximum (rounded, two may tie: the first wins). */
    @Override
    public boolean cachesAsSaved() {
        return true;
    }

    @Override
    public void clearCache() {
        input = null;
    }
}
