package io.github.unet4j.core.graph;

import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Grad;
import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.MultiInputLayer;
import io.github.unet4j.core.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Records how layers are applied to values, once, when a network is assembled: blocks call
 * {@link #apply} in their {@link Block#forward}, and {@link Tape#record} turns the record into
 * a program that runs in training and in inference. Only structure is recorded; no array is
 * touched.
 */
public final class Graph {

    /** A layer applied to values: its inputs and output are value ids. */
    record Node(Object layer, MultiInputLayer op, int[] inputs, int output, List<String> blocks, int scope) {
    }

    /** A block applied at the top level: nodes {@code [first, end)}; its output value. */
    record Scope(String name, Object block, int first, int end, int output) {
    }

    final List<Node> nodes = new ArrayList<>();
    final List<Scope> scopes = new ArrayList<>();
    private final Var[] inputs;
    private final List<String> open = new ArrayList<>();
    private int nextId;
    private int scope = -1;

    Graph(int inputs) {
        this.inputs = new Var[inputs];
        for (int i = 0; i < inputs; i++) {
            this.inputs[i] = new Var(this, nextId++, "input " + i);
        }
    }

    int inputCount() {
        return inputs.length;
    }

    int valueCount() {
        return nextId;
    }

    /**
     * @param i which input
     * @return the graph's i-th input
     */
    public Var input(int i) {
        return inputs[i];
    }

    /**
     * @param layer a layer of one input
     * @param x     its input
     * @return its output
     */
    public Var apply(Layer layer, Var x) {
        Objects.requireNonNull(layer, "layer");
        return add(layer, new Single(layer), x);
    }

    /**
     * @param layer  a layer of several inputs
     * @param inputs its inputs, in its order
     * @return its output
     */
    public Var apply(MultiInputLayer layer, Var... inputs) {
        Objects.requireNonNull(layer, "layer");
        return add(layer, layer, inputs);
    }

    /**
     * @param block a block of one input
     * @param x     its input
     * @return its output
     */
    public Var apply(Block block, Var x) {
        return scoped(block.name(), block, () -> block.forward(this, x));
    }

    /**
     * @param block a block of the expanding path
     * @param x     the map from below
     * @param skip  the skip map
     * @return its output
     */
    public Var apply(UpBlock block, Var x, Var skip) {
        return scoped(block.name(), block, () -> block.forward(this, x, skip));
    }

    private Var scoped(String name, Object block, java.util.function.Supplier<Var> wire) {
        boolean top = open.isEmpty();
        int first = nodes.size();
        if (top) {
            scope = scopes.size();
        }
        open.add(name);
        Var out;
        try {
            out = wire.get();
        } finally {
            open.remove(open.size() - 1);
        }
        check(out, name);
        if (top) {
            scopes.add(new Scope(name, block, first, nodes.size(), out.id));
            scope = -1;
        }
        return out;
    }

    private Var add(Object layer, MultiInputLayer op, Var... xs) {
        int[] ids = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            check(xs[i], op.name());
            ids[i] = xs[i].id;
        }
        Var out = new Var(this, nextId++, op.name());
        nodes.add(new Node(layer, op, ids, out.id, List.copyOf(open), scope));
        return out;
    }

    private void check(Var v, String where) {
        if (v == null) {
            throw new IllegalArgumentException(where + ": got a null value; a block must return the Var its last layer made");
        }
        if (v.graph != this) {
            throw new IllegalArgumentException(where + ": " + v + " belongs to another graph; "
                    + "use only the Vars of the graph passed to forward");
        }
    }

    /** A one-input {@link Layer} seen as a layer of several inputs. */
    private record Single(Layer layer) implements MultiInputLayer {
        @Override
        public String name() {
            return layer.name();
        }

        @Override
        public INDArray forward(Mode mode, INDArray... inputs) {
            return layer.forward(inputs[0], mode);
        }

        @Override
        public Grad[] backward(INDArray gradOut) {
            return new Grad[] {Grad.of(layer.backward(gradOut))};
        }

        @Override
        public long[] outputShape(long[]... inputShapes) {
            return layer.outputShape(inputShapes[0]);
        }

        @Override
        public void clearCache() {
            layer.clearCache();
        }

        @Override
        public List<Parameter> parameters() {
            return layer.parameters();
        }

        @Override
        public List<Buffer> buffers() {
            return layer.buffers();
        }

        @Override
        public boolean recomputable() {
            return layer.recomputable();
        }

        @Override
        public boolean cachesInput(int input) {
            return layer.cachesInput();
        }

        @Override
        public boolean cachesOutput() {
            return layer.cachesOutput();
        }

        @Override
        public boolean cachesAsSaved() {
            return layer.cachesAsSaved();
        }
    }
}
