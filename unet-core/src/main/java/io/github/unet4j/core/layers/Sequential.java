package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.graph.Block;
import io.github.unet4j.core.graph.Graph;
import io.github.unet4j.core.graph.Var;
import java.util.List;

/**
 * Layers applied one after another. A {@link Block}: it only wires its layers; the
 * {@link io.github.unet4j.core.graph.Tape} that runs it runs backward in reverse and frees the
 * arrays in between.
 */
public class Sequential implements Block {
    private final String name;
    private final List<Layer> layers;

    /**
     * @param name   path in the network
     * @param layers the layers, first applied first
     */
    public Sequential(String name, List<? extends Layer> layers) {
        this.name = name;
        this.layers = List.copyOf(layers);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the layers in order */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * @param g the graph
     * @param x input of the first layer, {@code [N, C, H, W]}
     * @return output of the last layer
     */
    @Override
    public Var forward(Graph g, Var x) {
        Var y = x;
        for (Layer layer : layers) {
            y = g.apply(layer, y);
        }
        return y;
    }
}
