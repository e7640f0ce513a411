package io.github.unet4j.core.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;

/**
 * The paper's skip connection: centre-crops the encoder map to the decoder map's size and
 * concatenates the two on the channel axis, encoder channels first.
 *
 * <p>Skip {@code [N, Cs, Hs, Ws]} and up {@code [N, Cu, Hu, Wu]} with {@code Hs >= Hu},
 * {@code Ws >= Wu}; output {@code [N, Cs + Cu, Hu, Wu]}. The crop starts at
 * {@code ((Hs - Hu) / 2, (Ws - Wu) / 2)} (rounded down). Backward splits the gradient on the
 * channel axis: the skip part is copied out (as a {@link SkipGrad}, its window only), the up part
 * is a view.
 */
public final class CropAndConcat {

    /**
     * dL/dSkip. The skip map reaches the output only through its crop window, so its gradient
     * is zero outside it; only the window is stored, which halves the memory an uncropped copy
     * would hold until the contracting path's backward.
     *
     * @param window dL/dSkip inside the crop window, {@code [N, Cs, Hu, Wu]}
     * @param shape  the shape of the uncropped skip map {@code [N, Cs, Hs, Ws]}
     */
    public record SkipGrad(INDArray window, long[] shape) {

        /**
         * Adds this gradient into the gradient of the whole skip map.
         *
         * @param full dL/dSkip so far, {@code shape}; updated in place
         * @return {@code full}
         */
        public INDArray addInto(INDArray full) {
            if (!java.util.Arrays.equals(full.shape(), shape)) {
                throw new ShapeException("SkipGrad: cannot add a gradient of skip shape " + Shapes.str(shape)
                        + " into an array of shape " + Shapes.str(full.shape()));
            }
            NativeOps.addInto(full.get(CropAndConcat.window(shape, window.size(2), window.size(3))), window);
            return full;
        }

        /** @return dL/dSkip in the uncropped frame, zero outside the window (a new array) */
        public INDArray uncropped() {
            return addInto(Nd4j.zeros(window.dataType(), shape));
        }
    }

    /**
     * The two gradients of {@link #backward}.
     *
     * @param skip dL/dSkip, stored as its crop window
     * @param up   dL/dUp, a view of backward's gradOut: valid while gradOut is
     */
    public record Grads(SkipGrad skip, INDArray up) {
    }

    private final String name;
    private long[] skipShape;
    private long skipChannels;

    /** @param name path in the network */
    public CropAndConcat(String name) {
        this.name = name;
    }

    /** @return the path in the network */
    public String name() {
        return name;
    }

    /**
     * @param skip shape of the encoder map {@code [N, Cs, Hs, Ws]}
     * @param up   shape of the decoder map {@code [N, Cu, Hu, Wu]}
     * @return {@code [N, Cs + Cu, Hu, Wu]}
     */
    public long[] outputShape(long[] skip, long[] up) {
        String what = "CropAndConcat '" + name + "'";
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

    private static INDArrayIndex[] window(long[] skip, long h, long w) {
        long top = (skip[2] - h) / 2;
        long left = (skip[3] - w) / 2;
        return new INDArrayIndex[] {all(), all(), interval(top, top + h), interval(left, left + w)};
    }

    /**
     * @param skip encoder map {@code [N, Cs, Hs, Ws]}
     * @param up   decoder map {@code [N, Cu, Hu, Wu]}
     * @param mode TRAIN remembers the shapes for backward
     * @return {@code [N, Cs + Cu, Hu, Wu]}
     */
    public INDArray forward(INDArray skip, INDArray up, Mode mode) {
        outputShape(skip.shape(), up.shape());
        INDArray cropped = skip.get(window(skip.shape(), up.size(2), up.size(3)));
        skipShape = mode == Mode.TRAIN ? skip.shape() : null;
        skipChannels = skip.size(1);
        // Into one allocated array (reused memory, see Tensors): two strided copies, no temporaries.
        long[] shape = outputShape(skip.shape(), up.shape());
        INDArray out = Tensors.allocate(up.dataType(), shape);
        out.get(all(), interval(0, skipChannels), all(), all()).assign(cropped);
        out.get(all(), interval(skipChannels, shape[1]), all(), all()).assign(up);
        return out;
    }

    /**
     * @param gradOut dL/dOutput {@code [N, Cs + Cu, Hu, Wu]}
     * @return the gradients of skip (its window, copied) and up (a view of gradOut)
     */
    public Grads backward(INDArray gradOut) {
        if (skipShape == null) {
            throw new IllegalStateException("CropAndConcat '" + name
                    + "': backward called without a training forward before it");
        }
        long c = gradOut.size(1);
        INDArray gSkipView = gradOut.get(all(), interval(0, skipChannels), all(), all());
        INDArray gSkip = Tensors.allocate(gradOut.dataType(), gSkipView.shape()).assign(gSkipView);
        INDArray gUp = gradOut.get(all(), interval(skipChannels, c), all(), all());
        Grads g = new Grads(new SkipGrad(gSkip, skipShape), gUp);
        skipShape = null;
        return g;
    }
}
