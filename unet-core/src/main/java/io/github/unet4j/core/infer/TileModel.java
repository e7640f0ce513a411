package io.github.unet4j.core.infer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-tile predictor for {@link OverlapTile}: maps a batch of input tiles to per-class maps
 * of the tile's central output window.
 */
public interface TileModel {

    /** @return input tile size (H = W) */
    int inputTile();

    /** @return output tile size; the output is the centre of the input, {@code (in - out) / 2} in from each side */
    int outputTile();

    /** @return number of output channels (classes) */
    int classes();

    /** @return number of input channels */
    int inChannels();

    /**
     * @return how far apart output windows start ({@link io.github.unet4j.core.UNetConfig#tileStride}):
     *         the output size unless the model's result depends on where a window starts
     */
    default int stride() {
        return outputTile();
    }

    /**
     * @param tiles {@code [B, inChannels, in, in]}
     * @return {@code [B, classes, out, out]}
     */
    INDArray apply(INDArray tiles);
}
