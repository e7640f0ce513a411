package io.github.unet4j.core.graph;

/**
 * A value in a network's {@link Graph}: the graph's input or the output of one layer applied to
 * other values. Symbolic: it holds no array; the {@link Tape} that runs the graph does.
 */
public final class Var {
    final Graph graph;
    final int id;
    final String producer;

    Var(Graph graph, int id, String producer) {
        this.graph = graph;
        this.id = id;
        this.producer = producer;
    }

    @Override
    public String toString() {
        return "Var(" + producer + ")";
    }
}
