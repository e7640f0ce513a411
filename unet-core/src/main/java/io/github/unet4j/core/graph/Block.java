package io.github.unet4j.core.graph;

/**
 * A part of a network made of layers (and other blocks), such as the paper's double convolution:
 * it says how its layers are wired and nothing else. Which arrays live how long, which gradients
 * add up and what is recomputed is the {@link Tape}'s business.
 *
 * <p>Example, a residual double convolution:
 * <pre>{@code
 * public Var forward(Graph g, Var x) {
 *     Var h = g.apply(relu1, g.apply(conv1, x));
 *     h = g.apply(conv2, h);
 *     return g.apply(relu2, g.apply(add, h, g.apply(project, x)));
 * }
 * }</pre>
 */
public interface Block {

    /** @return the block's path in the network, e.g. {@code down2} */
    String name();

    /**
     * Wires the block: applies its layers to {@code x} on {@code g}. Called when a network is
     * assembled, not per forward pass: it must apply the same layers whatever the input.
     *
     * @param g the graph being recorded
     * @param x the block's input, {@code [N, C, H, W]}
     * @return the block's output
     */
    Var forward(Graph g, Var x);
}
