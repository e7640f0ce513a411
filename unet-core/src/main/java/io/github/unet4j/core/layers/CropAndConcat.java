package io.github.unet4j.core.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.github.unet4j.core.Grad;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.MultiInputLayer;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.BufferPool;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's skip connection: centre-crops the encoder map to the decoder map's size and
 * concatenates the two on the channel axis, encoder channels first.
 *
 * <p>Inputs skip {@code [N, Cs, Hs, Ws]} and up {@code [N, Cu, Hu, Wu]} with {@code Hs >= Hu},
 * {@code Ws >= Wu}; output {@code [N, Cs + Cu, Hu, Wu]}. The crop starts at
 * {@code ((Hs - Hu) / 2, (Ws - Wu) / 2)} (rounded down). Backward splits the gradient on the
 * channel axis: the skip part is copied out as its crop window ({@link Grad#window}: zero
 * elsewhere, so only the window is stored), the up part is a view of the gradient.
 */
public final class CropAndConcat implements MultiInputLayer {
    private final String name;
    private long[] skipShape;

    /** @param name path in the network */
    public CropAndConcat(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * @param shapes the skip map's shape {@code [N, Cs, Hs, Ws]} and the decoder map's
     *               {@code [N, Cu, Hu, Wu]}
     * @return {@code [N, Cs + Cu, Hu, Wu]}
     */
    @Override
    public long[] outputShape(long[]... shapes) {
        String what = "CropAndConcat '" + name + "'";
        if (shapes.length != 2) {
            throw new ShapeException(what + ": takes two inputs (skip, up), got " + shapes.length);
        }
        long[] skip = shapes[0];
        long[] up = shapes[1];
        if (skip.length != 4 || up.length != 4) {
            throw new ShapeException(what + ": expected two rank 4 [N, C, H, W] inputs, got skip " + Shapes.str(skip)
                    + " and up " + Shapes.str(up));
        }
        if (skip[0] != up[0]) {
            throw new ShapeException(what + ": batch sizes differ, skip " + Shapes.str(skip) + " vs up " + Shapes.str(up));
        }
        if (skip[2] < up[2] || skip[3] < up[3]) {
            throw new ShapeException(what + ": the skip map " + Shapes.str(skip) + " is smaller than the up-sampled map "
                    + Shapes.str(up) + "; it can only be cropped, not padded");
        }
        return new long[] {up[0], skip[1] + up[1], up[2], up[3]};
    }

    /** @return where the crop window starts in a skip map of shape {@code skip}, per axis */
    private static long[] offset(long[] skip, long h, long w) {
        return new long[] {0, 0, (skip[2] - h) / 2, (skip[3] - w) / 2};
    }

    /**
     * @param mode   TRAIN remembers the skip map's shape for backward
     * @param inputs the encoder map {@code [N, Cs, Hs, Ws]} and the decoder map {@code [N, Cu, Hu, Wu]}
     * @return {@code [N, Cs + Cu, Hu, Wu]}
     */
    @Override
    public INDArray forward(Mode mode, INDArray... inputs) {
        INDArray skip = inputs[0];
        INDArray up = inputs[1];
        long[] shape = outputShape(skip.shape(), up.shape());
        skipShape = mode == Mode.TRAIN ? skip.shape() : null;
        long cs = skip.size(1);
        long[] o = offset(skip.shape(), up.size(2), up.size(3));
        INDArray cropped = skip.get(all(), all(), interval(o[2], o[2] + up.size(2)), interval(o[3], o[3] + up.size(3)));
        // Into one allocated array (reused memory, see BufferPool): two strided copies, no temporaries.
        INDArray out = BufferPool.allocate(up.dataType(), shape);
        out.get(all(), interval(0, cs), all(), all()).assign(cropped);
        out.get(all(), interval(cs, shape[1]), all(), all()).assign(up);
        return out;
    }

    /**
     * @param gradOut dL/dOutput {@code [N, Cs + Cu, Hu, Wu]}
     * @return dL/dSkip as its crop window (a copy) and dL/dUp (a view of gradOut)
     */
    @Override
    public Grad[] backward(INDArray gradOut) {
        if (skipShape == null) {
            throw new IllegalStateException("CropAndConcat '" + name
                    + "': backward called without a training forward before it");
        }
        long cs = skipShape[1];
        INDArray gSkipView = gradOut.get(all(), interval(0, cs), all(), all());
        INDArray gSkip = BufferPool.allocate(gradOut.dataType(), gSkipView.shape()).assign(gSkipView);
        INDArray gUp = gradOut.get(all(), interval(cs, gradOut.size(1)), all(), all());
        Grad[] g = {Grad.window(gSkip, skipShape, offset(skipShape, gradOut.size(2), gradOut.size(3))), Grad.of(gUp)};
        skipShape = null;
        return g;
    }

    /** Backward reads only the skip map's shape. */
    @Override
    public boolean cachesInput(int input) {
        return false;
    }

    @Override
    public void clearCache() {
        skipShape = null;
    }
}
