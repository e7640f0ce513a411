package io.github.unet4j.core.blocks;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.graph.Block;
import io.github.unet4j.core.graph.Graph;
import io.github.unet4j.core.graph.Var;
import io.github.unet4j.core.layers.Conv2d;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The final 1x1 convolution that maps features to class scores (logits; the softmax belongs to
 * the loss). Input {@code [N, inC, H, W]}, output {@code [N, classes, H, W]}. Layer name:
 * {@code conv}.
 */
public final class OutConv implements Block {
    private final String name;
    private final Conv2d conv;

    /**
     * @param name       path in the network
     * @param inChannels input channels
     * @param classes    output channels, one per class
     * @param dtype      parameter data type
     */
    public OutConv(String name, int inChannels, int classes, DataType dtype) {
        this.name = name;
        this.conv = new Conv2d(name + ".conv", inChannels, classes, 1, Padding.VALID, true, dtype);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Var forward(Graph g, Var x) {
        return g.apply(conv, x);
    }
}
