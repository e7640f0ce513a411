package io.github.unet4j.examples.onnx;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.infer.TileModel;
import io.github.unet4j.core.onnx.OnnxExport;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network run by ONNX Runtime as a {@link TileModel}: the network is exported
 * ({@link OnnxExport}, softmax head, batch norm folded) and each batch of tiles goes through an
 * ONNX Runtime session, so overlap-tile inference is the same code as with unet4j's own
 * forward ({@code UNetTileModel}), only the engine differs.
 */
public final class OrtTileModel implements TileModel {
    private final OrtModel session;
    private final int inputTile;
    private final int outputTile;
    private final int stride;
    private final int classes;
    private final int inChannels;

    /**
     * @param session   the network in ONNX Runtime ({@link #session}); shared, not closed here
     * @param config    the network's configuration
     * @param inputTile a valid input size
     */
    public OrtTileModel(OrtModel session, UNetConfig config, int inputTile) {
        this.session = session;
        this.inputTile = inputTile;
        this.outputTile = config.outputSize(inputTile);
        this.stride = config.tileStride(outputTile);
        this.classes = config.classes();
        this.inChannels = config.inChannels();
    }

    /**
     * @param network the network (its current weights are exported)
     * @param threads ONNX Runtime's intra-op threads (0: one per core)
     * @return a session running the network with a softmax head and batch norm folded; it takes
     *         every valid tile size
     */
    public static OrtModel session(UNet network, int threads) {
        return new OrtModel(OnnxExport.toBytes(network, OnnxExport.Options.defaults().withSoftmax(true)
                .withBatchNorm(OnnxExport.BatchNorm.FOLDED)), threads);
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
    public int stride() {
        return stride;
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
        return TileModel.centre(session.run(tiles), outputTile);
    }
}
