package io.github.unet4j.core.infer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-time augmentation: the average of a tile model's outputs over the 8 flips and quarter
 * turns of its input, each mapped back. The paper averaged rotated versions for its ISBI entry.
 */
public final class Dihedral implements TileModel {
    private final TileModel model;

    /** @param model a model with square tiles */
    public Dihedral(TileModel model) {
        this.model = model;
    }

    @Override
    public int inputTile() {
        return model.inputTile();
    }

    @Override
    public int outputTile() {
        return model.outputTile();
    }

    @Override
    public int stride() {
        return model.stride();
    }

    @Override
    public int classes() {
        return model.classes();
    }

    @Override
    public int inChannels() {
        return model.inChannels();
    }

    /**
     * @param tiles {@code [B, C, in, in]}
     * @return the mean over the 8 transforms of {@code [B, classes, out, out]}
     */
    @Override
    public INDArray apply(INDArray tiles) {
        INDArray sum = null;
        for (int t = 0; t < 8; t++) {
            INDArray y = inverse(model.apply(forward(tiles, t)), t);
            sum = sum == null ? y.dup() : sum.addi(y);
        }
        return sum.divi(8);
    }

    /** Transform t: bit 0 flips W, bit 1 flips H, bit 2 transposes H and W (applied last). */
    static INDArray forward(INDArray x, int t) {
        INDArray y = x;
        if ((t & 1) != 0) {
            y = reverse(y, 3);
        }
        if ((t & 2) != 0) {
            y = reverse(y, 2);
        }
        if ((t & 4) != 0) {
            y = y.permute(0, 1, 3, 2).dup('c');
        }
        return y;
    }

    /** The inverse of {@link #forward}: undo the transpose, then the flips. */
    static INDArray inverse(INDArray y, int t) {
        INDArray x = y;
        if ((t & 4) != 0) {
            x = x.permute(0, 1, 3, 2).dup('c');
        }
        if ((t & 2) != 0) {
            x = reverse(x, 2);
        }
        if ((t & 1) != 0) {
            x = reverse(x, 3);
        }
        return x;
    }

    private static INDArray reverse(INDArray x, int axis) {
        return Nd4j.exec(DynamicCustomOp.builder("reverse").addInputs(x).addIntegerArguments(axis).build())[0];
    }
}
