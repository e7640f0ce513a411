package io.github.unet4j.core.layers;

import io.github.unet4j.core.Grad;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.MultiInputLayer;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.BufferPool;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise sum of two maps of one shape, as in a residual block. Backward hands the same
 * gradient to both inputs (the same array twice: the {@link io.github.unet4j.core.graph.Tape}
 * frees it once both are done with it).
 */
public final class Add implements MultiInputLayer {
    private final String name;
    private boolean trained;

    /** @param name path in the network */
    public Add(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long[] outputShape(long[]... shapes) {
        if (shapes.length != 2 || !Arrays.equals(shapes[0], shapes[1])) {
            throw new ShapeException("Add '" + name + "': takes two inputs of one shape, got "
                    + String.join(" and ", Arrays.stream(shapes).map(Shapes::str).toList())
                    + "; crop or project one of them first");
        }
        return shapes[0].clone();
    }

    /**
     * @param mode   training or inference
     * @param inputs a and b, one shape
     * @return a + b, a new array
     */
    @Override
    public INDArray forward(Mode mode, INDArray... inputs) {
        outputShape(inputs[0].shape(), inputs[1].shape());
        trained = mode == Mode.TRAIN;
        INDArray y = BufferPool.allocate(inputs[0].dataType(), inputs[0].shape()).assign(inputs[0]);
        return y.addi(inputs[1]);
    }

    @Override
    public Grad[] backward(INDArray gradOut) {
        if (!trained) {
            throw new IllegalStateException("Add '" + name + "': backward called without a forward in Mode.TRAIN before it");
        }
        trained = false;
        return new Grad[] {Grad.of(gradOut), Grad.of(gradOut)};
    }

    @Override
    public boolean cachesInput(int input) {
        return false;
    }

    @Override
    public void clearCache() {
        trained = false;
    }
}
