package io.github.unet4j.train;

import io.github.unet4j.core.UNet;
import java.util.Map;

/** Measures a network on held-out data during training. */
@FunctionalInterface
public interface Validator {

    /**
     * @param network the network, to run in inference mode
     * @return metric name to value, in a fixed order
     */
    Map<String, Double> validate(UNet network);
}
