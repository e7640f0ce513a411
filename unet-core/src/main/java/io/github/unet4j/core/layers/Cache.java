package io.github.unet4j.core.layers;

import io.github.unet4j.core.Saved;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Checks for what forward leaves for backward. */
final class Cache {
    private Cache() {
    }

    /**
     * @param cached what the last training forward stored, or null
     * @param layer  the layer, for the message
     * @return {@code cached}
     * @throws IllegalStateException if there was no training forward
     */
    static INDArray require(INDArray cached, String layer) {
        if (cached == null) {
            throw new IllegalStateException(layer + ": backward called without a forward in Mode.TRAIN before it");
        }
        return cached;
    }

    /**
     * @param cached what the last training forward saved, or null
     * @param layer  the layer, for the message
     * @return the saved array
     * @throws IllegalStateException if there was no training forward
     */
    static INDArray require(Saved cached, String layer) {
        if (cached == null) {
            throw new IllegalStateException(layer + ": backward called without a forward in Mode.TRAIN before it");
        }
        return cached.get();
    }
}
