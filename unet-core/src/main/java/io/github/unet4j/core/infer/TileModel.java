package io.github.unet4j.core.infer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

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

    /**
     * @param maps       {@code [B, classes, s, s]}, a tile's whole output
     * @param outputTile the window to keep, {@code <= s}
     * @return its centre {@code [B, classes, outputTile, outputTile]} (the array itself when it fits)
     */
    static INDArray centre(INDArray maps, int outputTile) {
        long crop = (maps.size(2) - outputTile) / 2;
        if (crop == 0) {
            return maps;
        }
        return maps.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(crop, crop + outputTile),
                NDArrayIndex.interval(crop, crop + outputTile)).dup();
    }
}
