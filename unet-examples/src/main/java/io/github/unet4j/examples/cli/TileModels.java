package io.github.unet4j.examples.cli;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.infer.Dihedral;
import io.github.unet4j.core.infer.TileModel;
import io.github.unet4j.core.infer.UNetTileModel;
import io.github.unet4j.examples.onnx.OrtModel;
import io.github.unet4j.examples.onnx.OrtTileModel;
import java.util.HashMap;
import java.util.Map;

/** One engine's tile models, one per tile size, made on first use; ONNX Runtime's share one session. */
final class TileModels implements AutoCloseable {
    private final UNet net;
    private final OrtModel session;
    private final boolean tta;
    private final Map<Integer, TileModel> byTile = new HashMap<>();

    /**
     * @param net         the network
     * @param onnxRuntime run the tiles in ONNX Runtime instead of unet4j's forward
     * @param tta         average over the 8 flips and quarter turns
     */
    TileModels(UNet net, boolean onnxRuntime, boolean tta) {
        this.net = net;
        this.session = onnxRuntime ? OrtTileModel.session(net, 0) : null;
        this.tta = tta;
    }

    /** @param tile a valid input tile @return its model */
    TileModel get(int tile) {
        return byTile.computeIfAbsent(tile, t -> {
            TileModel base = session != null ? new OrtTileModel(session, net.config(), t) : UNetTileModel.of(net, t);
            return tta ? new Dihedral(base) : base;
        });
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
    }
}
