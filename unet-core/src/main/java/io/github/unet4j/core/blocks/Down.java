package io.github.unet4j.core.blocks;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.graph.Block;
import io.github.unet4j.core.graph.Graph;
import io.github.unet4j.core.graph.Var;
import io.github.unet4j.core.layers.MaxPool2d;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A step down the contracting path: 2x2 max pooling, then a {@link DoubleConv} that doubles the
 * channels in the paper's configuration.
 *
 * <p>Input {@code [N, inC, H, W]} (H, W even), output {@code [N, outC, H/2 - 4, W/2 - 4]}
 * (VALID) or {@code [N, outC, H/2, W/2]} (SAME). Layer names: {@code pool, conv}.
 */
public final class Down implements Block {
    private final String name;
    private final MaxPool2d pool;
    private final Block conv;

    /**
     * @param name        path in the network
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param padding     VALID (paper) or SAME
     * @param batchNorm   whether to use batch norm
     * @param dtype       parameter data type
     */
    public Down(String name, int inChannels, int outChannels, Padding padding, boolean batchNorm, DataType dtype) {
        this(name, new DoubleConv(name + ".conv", inChannels, outChannels, padding, batchNorm, dtype));
    }

    /**
     * A step down with another block after the pooling (a residual double convolution, say).
     *
     * @param name path in the network
     * @param conv the block after the 2x2 max pooling, named {@code name + ".conv"}
     */
    public Down(String name, Block conv) {
        this.name = name;
        this.pool = new MaxPool2d(name + ".pool");
        this.conv = conv;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Var forward(Graph g, Var x) {
        return g.apply(conv, g.apply(pool, x));
    }
}
