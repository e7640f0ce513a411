package io.github.unet4j.core.blocks;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.layers.MaxPool2d;
import io.github.unet4j.core.layers.Sequential;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A step down the contracting path: 2x2 max pooling, then a {@link DoubleConv} that doubles the
 * channels in the paper's configuration.
 *
 * <p>Input {@code [N, inC, H, W]} (H, W even), output {@code [N, outC, H/2 - 4, W/2 - 4]}
 * (VALID) or {@code [N, outC, H/2, W/2]} (SAME). Layer names: {@code pool, conv}.
 */
public final class Down extends Sequential {

    /**
     * @param name        path in the network
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param padding     VALID (paper) or SAME
     * @param batchNorm   whether to use batch norm
     * @param dtype       parameter data type
     */
    public Down(String name, int inChannels, int outChannels, Padding padding, boolean batchNorm, DataType dtype) {
        super(name, List.of(new MaxPool2d(name + ".pool"),
                new DoubleConv(name + ".conv", inChannels, outChannels, padding, batchNorm, dtype)));
    }
}
