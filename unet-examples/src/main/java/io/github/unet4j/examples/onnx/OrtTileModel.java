package io.github.unet4j.examples.onnx;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.infer.TileModel;
import io.github.unet4j.core.onnx.OnnxExport;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A network run by ONNX Runtime as a {@link TileModel}: the network is exported
 * ({@link OnnxExport}, softmax head, batch norm folded) and each batch of tiles goes through an
 * ONNX Runtime session, so overlap-tile inference is the same code as with unet4j's own
 * forward ({@code UNetTileModel}), only the engine differs.
 */
public final class OrtTileModel implements TileModel, AutoCloseable {
    private final OrtModel session;
    private final int inputTile;
    private final int outputTile;
    private final int classes;
    private final int inChannels;

    /**
     * @param network   the network (its current weights are exported)
     * @param inputTile a valid input size
     * @param threads   ONNX Runtime's intra-op threads (0: one per core)
     */
    public OrtTileModel(UNet network, int inputTile, int threads) {
        this.session = new OrtModel(OnnxExport.toBytes(network, OnnxExport.Options.defaults().withSoftmax(true)
                .withBatchNorm(OnnxExport.BatchNorm.FOLDED)), threads);
        this.inputTile = inputTile;
        this.outputTile = network.config().outputSize(inputTile);
        this.classes = network.config().classes();
        this.inChannels = network.config().inChannels();
    }

    @Override
    public int inputTile() {
        return inputTile;
    }

    @Override
    public int outputTile() {
        return outputTile;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int inChannels() {
        return inChannels;
    }

    /**
     * @param tiles {@code [B, C, in, in]}
     * @return probabilities {@code [B, classes, out, out]}
     */
    @Override
    public INDArray apply(INDArray tiles) {
        INDArray p = session.run(tiles);
        long crop = (p.size(2) - outputTile) / 2;
        if (crop == 0) {
            return p;
        }
        return p.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(crop, crop + outputTile),
                NDArrayIndex.interval(crop, crop + outputTile)).dup();
    }

    @Override
    public void close() {
        session.close();
    }
}
