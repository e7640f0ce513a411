package io.github.unet4j.core;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The gradient of one input of a {@link MultiInputLayer}: either the whole array, or only the
 * window of the input the layer read (a crop), zero outside it.
 *
 * <p>Why a window: the paper's skip connection reads only a centre crop of an encoder map, so
 * its gradient is zero elsewhere; storing the window alone halves what the expanding path's
 * backward keeps until the contracting path's backward adds it into the encoder map's gradient.
 *
 * @param array  the whole gradient, or the window's
 * @param shape  the input's shape
 * @param offset where the window starts on each axis; null for a whole gradient
 */
public record Grad(INDArray array, long[] shape, long[] offset) {

    /**
     * @throws ShapeException if a window does not fit its input's shape
     */
    public Grad {
        Objects.requireNonNull(array, "array");
        Objects.requireNonNull(shape, "shape");
        if (offset != null) {
            if (offset.length != shape.length || array.rank() != shape.length) {
                throw new ShapeException("Grad: a window of rank " + array.rank() + " with offset "
                        + Arrays.toString(offset) + " for an input of shape " + Shapes.str(shape));
            }
            for (int i = 0; i < shape.length; i++) {
                if (offset[i] < 0 || offset[i] + array.size(i) > shape[i]) {
                    throw new ShapeException("Grad: window " + Shapes.str(array.shape()) + " at offset "
                            + Arrays.toString(offset) + " does not fit inside the input shape " + Shapes.str(shape));
                }
            }
        } else if (!Arrays.equals(array.shape(), shape)) {
            throw new ShapeException("Grad: gradient shape " + Shapes.str(array.shape()) + " differs from the input shape "
                    + Shapes.str(shape));
        }
    }

    /**
     * @param whole dL/dInput, the input's shape
     * @return a whole gradient
     */
    public static Grad of(INDArray whole) {
        return new Grad(whole, whole.shape(), null);
    }

    /**
     * @param window dL/dInput inside the window
     * @param shape  the input's shape
     * @param offset the window's start on each axis
     * @return a gradient that is zero outside the window
     */
    public static Grad window(INDArray window, long[] shape, long... offset) {
        return new Grad(window, shape.clone(), offset.clone());
    }

    /** @return whether only a window is stored */
    public boolean isWindow() {
        return offset != null;
    }

    /**
     * @param whole an array of {@link #shape()}
     * @return the view of {@code whole} this window covers
     */
    public INDArray region(INDArray whole) {
        INDArrayIndex[] index = new INDArrayIndex[shape.length];
        for (int i = 0; i < shape.length; i++) {
            index[i] = NDArrayIndex.interval(offset[i], offset[i] + array.size(i));
        }
        return whole.get(index);
    }
}
