package io.github.unet4j.core.graph;

/**
 * A step up the expanding path: a {@link Block} of two inputs, the map from below and the skip
 * map from the contracting path at the same level. The place for a gate on the skip path.
 */
public interface UpBlock {

    /** @return the block's path in the network, e.g. {@code up1} */
    String name();

    /**
     * @param g    the graph being recorded
     * @param x    the map from the level below, {@code [N, inC, H, W]}
     * @param skip the contracting path's map at this level, {@code [N, skipC, Hs, Ws]}
     * @return the block's output
     */
    Var forward(Graph g, Var x, Var skip);
}
