package io.github.unet4j.core.infer;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.ops.Softmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link UNet} as a {@link TileModel}: class probabilities (softmax of the logits) of a tile
 * in inference mode.
 */
public final class UNetTileModel implements TileModel {
    private final UNet network;
    private final int inputTile;
    private final int outputTile;

    private UNetTileModel(UNet network, int inputTile, int outputTile) {
        this.network = network;
        this.inputTile = inputTile;
        this.outputTile = outputTile;
    }

    /**
     * @param network   the network
     * @param inputTile a valid input size (see {@link UNetConfig#outputSize(int)})
     * @return the tile model, whose output window is the network's output for a VALID network
     *     and the whole tile for a SAME network (tiles then abut without overlapping context)
     */
    public static UNetTileModel of(UNet network, int inputTile) {
        return new UNetTileModel(network, inputTile, network.config().outputSize(inputTile));
    }

    @Override
    public int inputTile() {
        return inputTile;
    }

    @Override
    public int outputTile() {
        return outputTile;
    }

    /** @return the output size rounded down to the poolings' grid ({@link UNetConfig#tileStride}) */
    @Override
    public int stride() {
        return network.config().tileStride(outputTile);
    }

    @Override
    public int classes() {
        return network.config().classes();
    }

    @Override
    public int inChannels() {
        return network.config().inChannels();
    }

    /**
     * @param tiles {@code [B, C, in, in]}
     * @return probabilities {@code [B, classes, out, out]}
     */
    @Override
    public INDArray apply(INDArray tiles) {
        INDArray logits = network.forward(tiles.castTo(network.dataType()), Mode.INFER);
        INDArray p = Softmax.probabilities(logits);
        BufferPool.release(logits, p);
        return TileModel.centre(p, outputTile);
    }
}
