package io.github.unet4j.core.graph;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Grad;
import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.MultiInputLayer;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.Saved;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.ops.NativeOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a recorded {@link Graph} forward and backward, and owns every array in between: the one
 * place that decides how long an array lives.
 *
 * <p>Rules (the layers and blocks follow none of their own):
 * <ul>
 *   <li><b>Inference</b> frees each value once the last layer reading it has run.</li>
 *   <li><b>Training</b> keeps every value for backward, which runs the layers in reverse, frees a
 *       value after the backward of the layer that made it (all its readers come later in the
 *       forward order, so their backwards have run) and a gradient after the backward of the
 *       layer it was passed to.</li>
 *   <li>A value read by several layers (a skip connection) gets the <b>sum</b> of their
 *       gradients; a crop window's gradient ({@link Grad#window}) is added into the whole.</li>
 *   <li>Memory shared by several arrays (an in-place layer's output is its input; a gradient may
 *       be a view of another) is freed when the last array on it dies.</li>
 *   <li>The inputs, the returned output, the incoming gradient and the returned input gradients
 *       are the caller's and never freed.</li>
 *   <li>Under {@link Activations#RECOMPUTE} a training forward keeps only the outputs of the
 *       top-level blocks and frees what is inside; just before a block's backward its forward runs
 *       again on the same inputs, with its batch-norm running statistics restored afterwards. A
 *       block with a layer that is not {@linkplain Layer#recomputable() recomputable} (dropout) is
 *       kept whole.</li>
 *   <li>Under {@link Activations#KEEP_BF16} a kept FLOAT value whose every backward reader
 *       keeps it through {@link Saved} ({@link Layer#cachesAsSaved()}) is replaced by a bfloat16
 *       copy after its last reader's forward (unless another live array shares its memory), and
 *       brought back to its own type just before the first backward that reads it; from there
 *       it lives as under KEEP.</li>
 * </ul>
 * Freed arrays go back to {@link BufferPool}' pool. One training forward, then at most one backward;
 * a forward first drops what an earlier training forward left.
 */
public final class Tape implements Layer {
    private final String name;
    private final int inputs;
    private final List<Graph.Node> nodes;
    private final List<Graph.Scope> scopes;
    private final int output;
    private final int values;
    /** How many nodes read each value (a node reading it twice counts once). */
    private final int[] readerCount;
    /** Per node: the values it reads, each once (computed here, not per pass). */
    private final int[][] distinctInputs;
    /** Per node: the top-level block it ends if that block is recomputed, else -1. */
    private final int[] endsRecomputed;
    /** Whether backward reads a value (its maker or a reader caches it): else training frees it early. */
    private final boolean[] neededInBackward;
    /** Whether every layer whose backward reads a value keeps it through {@link Saved} (KEEP_BF16 compresses it). */
    private final boolean[] compressible;
    /** Whether a recomputed block reads a value made outside it: it must live until that block's backward. */
    private final boolean[] readByRecompute;
    /** Per scope: the values made inside it and read only inside it; empty if it is not recomputed. */
    private final int[][] internal;
    private final List<MultiInputLayer> ops;
    private final List<Parameter> parameters;
    private Activations activations = Activations.KEEP;
    private Live training;

    private Tape(String name, Graph g, Var out) {
        this.name = name;
        this.inputs = g.inputCount();
        this.nodes = List.copyOf(g.nodes);
        this.scopes = List.copyOf(g.scopes);
        this.output = out.id;
        this.values = g.valueCount();
        this.readerCount = new int[values];
        this.distinctInputs = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            distinctInputs[i] = Arrays.stream(nodes.get(i).inputs()).distinct().toArray();
            for (int v : distinctInputs[i]) {
                readerCount[v]++;
            }
        }
        this.neededInBackward = new boolean[values];
        for (Graph.Node n : nodes) {
            neededInBackward[n.output()] |= n.op().cachesOutput();
            for (int j = 0; j < n.inputs().length; j++) {
                neededInBackward[n.inputs()[j]] |= n.op().cachesInput(j);
            }
        }
        this.compressible = new boolean[values];
        for (int v = inputs; v < values; v++) {
            compressible[v] = neededInBackward[v] && v != output;
        }
        for (Graph.Node n : nodes) {
            boolean rounded = n.op().cachesAsSaved();
            compressible[n.output()] &= rounded || !n.op().cachesOutput();
            for (int j = 0; j < n.inputs().length; j++) {
                compressible[n.inputs()[j]] &= rounded || !n.op().cachesInput(j);
            }
        }
        this.internal = new int[scopes.size()][];
        for (int s = 0; s < scopes.size(); s++) {
            internal[s] = internalValues(scopes.get(s));
        }
        this.endsRecomputed = new int[nodes.size()];
        Arrays.fill(endsRecomputed, -1);
        for (int sc = 0; sc < scopes.size(); sc++) {
            if (internal[sc].length > 0) {
                endsRecomputed[scopes.get(sc).end() - 1] = sc;
            }
        }
        this.readByRecompute = new boolean[values];
        for (int sc = 0; sc < scopes.size(); sc++) {
            Graph.Scope s = scopes.get(sc);
            for (int i = s.first(); i < s.end() && internal[sc].length > 0; i++) {
                for (int v : nodes.get(i).inputs()) {
                    readByRecompute[v] |= v < inputs + s.first();
                }
            }
        }
        Set<MultiInputLayer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<MultiInputLayer> os = new ArrayList<>();
        Set<Parameter> params = new LinkedHashSet<>();
        for (Graph.Node n : nodes) {
            if (seen.add(n.op())) {
                os.add(n.op());
                params.addAll(n.op().parameters());
            }
        }
        this.ops = List.copyOf(os);
        this.parameters = List.copyOf(params);
    }

    /**
     * Records a network of several inputs.
     *
     * @param name   the network's name, for messages
     * @param inputs how many inputs
     * @param wiring applies the layers and blocks to {@code g.input(i)} and returns the output
     * @return the program
     */
    public static Tape record(String name, int inputs, Function<Graph, Var> wiring) {
        Graph g = new Graph(inputs);
        Var out = wiring.apply(g);
        if (out == null || out.graph != g) {
            throw new IllegalArgumentException(name + ": the wiring must return a Var of the graph it was given");
        }
        return new Tape(name, g, out);
    }

    /**
     * @param block a block
     * @return a program that runs the block alone (to test or time it)
     */
    public static Tape of(Block block) {
        return record(block.name(), 1, g -> g.apply(block, g.input(0)));
    }

    /**
     * @param block an up block
     * @return a program of two inputs, x and the skip map, that runs the block alone
     */
    public static Tape of(UpBlock block) {
        return record(block.name(), 2, g -> g.apply(block, g.input(0), g.input(1)));
    }

    private int[] internalValues(Graph.Scope s) {
        List<Integer> inside = new ArrayList<>();
        boolean recomputable = true;
        for (int i = s.first(); i < s.end(); i++) {
            Graph.Node n = nodes.get(i);
            recomputable &= n.op().recomputable();
            boolean readOutside = n.output() == output;
            for (int j = s.end(); j < nodes.size() && !readOutside; j++) {
                for (int v : nodes.get(j).inputs()) {
                    readOutside |= v == n.output();
                }
            }
            if (!readOutside) {
                inside.add(n.output());
            }
        }
        return recomputable ? inside.stream().mapToInt(Integer::intValue).toArray() : new int[0];
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return how many inputs the program takes */
    public int inputCount() {
        return inputs;
    }

    /** @return what a training forward keeps; {@link Activations#KEEP} unless set */
    public Activations activations() {
        return activations;
    }

    /** @param activations KEEP, RECOMPUTE or KEEP_BF16, from the next training forward on */
    public void setActivations(Activations activations) {
        this.activations = Objects.requireNonNull(activations, "activations");
    }

    /** @return every distinct parameter, in the order the layers are first applied */
    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /** @return every layer's non-trainable state, in the order the layers are first applied */
    @Override
    public List<Buffer> buffers() {
        List<Buffer> bs = new ArrayList<>();
        ops.forEach(o -> bs.addAll(o.buffers()));
        return bs;
    }

    /** @return every distinct layer, in the order they are first applied */
    public List<Object> layers() {
        List<Object> ls = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Graph.Node n : nodes) {
            if (seen.add(n.layer())) {
                ls.add(n.layer());
            }
        }
        return ls;
    }

    /**
     * The recorded program as data, for tools that translate a network into another format (an
     * ONNX graph, say) without knowing how its blocks wire their layers.
     *
     * @return the inputs, every layer application in forward order, and the output value
     */
    public Program program() {
        List<Step> steps = new ArrayList<>(nodes.size());
        for (Graph.Node n : nodes) {
            steps.add(new Step(n.layer(), n.inputs().clone(), n.output()));
        }
        return new Program(inputs, List.copyOf(steps), output);
    }

    /**
     * A network's program: values are numbered, the inputs first ({@code 0 .. inputs - 1}), then
     * one per step, in the order the steps make them.
     *
     * @param inputs how many inputs
     * @param steps  the layer applications in forward order
     * @param output the value the network returns
     */
    public record Program(int inputs, List<Step> steps, int output) {
    }

    /**
     * One layer application.
     *
     * @param layer  the layer ({@code io.github.unet4j.core.Layer} or {@code MultiInputLayer};
     *               a nested {@link Tape} is a layer too)
     * @param inputs the values it reads, in its order
     * @param output the value it makes
     */
    public record Step(Object layer, int[] inputs, int output) {
        /** @return a copy of the input value ids */
        @Override
        public int[] inputs() {
            return inputs.clone();
        }
    }

    /**
     * Every layer application with its shapes, without running anything.
     *
     * @param inputShapes the inputs' shapes
     * @return one row per application, in forward order
     * @throws ShapeException naming the first layer that cannot take its input
     */
    public List<LayerCall> trace(long[]... inputShapes) {
        long[][] shapes = shapes(inputShapes);
        List<LayerCall> calls = new ArrayList<>();
        for (Graph.Node n : nodes) {
            List<long[]> in = Arrays.stream(n.inputs()).mapToObj(v -> shapes[v]).toList();
            calls.add(new LayerCall(n.layer(), n.blocks(), in, shapes[n.output()]));
        }
        return calls;
    }

    /**
     * The top-level parts with their output shapes: each block applied at the top level, and each
     * layer applied outside any block.
     *
     * @param inputShapes the inputs' shapes
     * @return one row per part, in forward order
     */
    public List<Part> parts(long[]... inputShapes) {
        long[][] shapes = shapes(inputShapes);
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Graph.Node n = nodes.get(i);
            if (n.scope() < 0) {
                parts.add(new Part(n.op().name(), n.layer(), shapes[n.output()], count(n.op().parameters())));
            } else if (scopes.get(n.scope()).first() == i) {
                Graph.Scope s = scopes.get(n.scope());
                Set<Parameter> ps = new LinkedHashSet<>();
                for (int j = s.first(); j < s.end(); j++) {
                    ps.addAll(nodes.get(j).op().parameters());
                }
                parts.add(new Part(s.name(), s.block(), shapes[s.output()], count(ps)));
            }
        }
        return parts;
    }

    /**
     * A top-level part of a program.
     *
     * @param name        its name
     * @param part        the block or layer object
     * @param outputShape its output shape
     * @param parameters  its trainable scalars
     */
    public record Part(String name, Object part, long[] outputShape, long parameters) {
    }

    private static long count(java.util.Collection<Parameter> ps) {
        return ps.stream().mapToLong(Parameter::size).sum();
    }

    private long[][] shapes(long[]... inputShapes) {
        if (inputShapes.length != inputs) {
            throw new ShapeException(name + ": got " + inputShapes.length + " input shapes, expected " + inputs);
        }
        long[][] shapes = new long[values][];
        System.arraycopy(inputShapes, 0, shapes, 0, inputs);
        for (Graph.Node n : nodes) {
            long[][] in = Arrays.stream(n.inputs()).mapToObj(v -> shapes[v]).toArray(long[][]::new);
            shapes[n.output()] = n.op().outputShape(in);
        }
        return shapes;
    }

    /**
     * The most memory one pass holds at once, found by running the pass's array lifetimes over
     * the shapes alone (nothing is allocated): the values alive at each node (the inputs
     * included), the node's output, and as scratch for the convolution library its inputs and
     * output once more (oneDNN reorders both). Training runs forward as {@link Mode#TRAIN} keeps
     * values for backward (under the current {@link Activations}), then backward with each
     * value's gradient and the blocks recomputed. It counts a view or an in-place result as its
     * own array and layers' private caches not at all; parameters and their gradients are the
     * caller's to add. Close to, and above, what the buffer pool sees in use (tested).
     *
     * @param mode            INFER or TRAIN (forward and backward)
     * @param bytesPerElement 4 for float, 8 for double
     * @param inputShapes     the inputs' shapes
     * @return the peak, in bytes
     */
    public long peakBytes(Mode mode, long bytesPerElement, long[]... inputShapes) {
        return peak(mode, bytesPerElement, true, inputShapes);
    }

    /**
     * {@link #peakBytes} without the convolution library's scratch: the values and gradients
     * alone, the arrays the buffer pool lends (and what a test can compare with its count).
     *
     * @param mode            INFER or TRAIN (forward and backward)
     * @param bytesPerElement 4 for float, 8 for double
     * @param inputShapes     the inputs' shapes
     * @return the peak, in bytes
     */
    public long peakArrayBytes(Mode mode, long bytesPerElement, long[]... inputShapes) {
        return peak(mode, bytesPerElement, false, inputShapes);
    }

    private long peak(Mode mode, long bytesPerElement, boolean scratch, long[]... inputShapes) {
        long sc = scratch ? 1 : 0;
        long[][] shapes = shapes(inputShapes);
        long[] bytes = new long[values];
        for (int v = 0; v < values; v++) {
            bytes[v] = Shapes.size(shapes[v]) * bytesPerElement;
        }
        boolean train = mode == Mode.TRAIN;
        boolean recompute = train && activations == Activations.RECOMPUTE;
        boolean compress = train && activations == Activations.KEEP_BF16 && bytesPerElement == DataType.FLOAT.width();
        long[] compact = new long[values];
        for (int v = 0; v < values; v++) {
            compact[v] = bytes[v] / bytesPerElement * DataType.BFLOAT16.width();
        }
        boolean[] packed = new boolean[values];
        boolean[] alive = new boolean[values];
        long live = 0;
        for (int v = 0; v < inputs; v++) {
            alive[v] = true;
            live += bytes[v];
        }
        long peak = live;
        int[] left = readerCount.clone();
        for (int i = 0; i < nodes.size(); i++) {
            int out = nodes.get(i).output();
            long in = 0;
            for (int v : distinctInputs[i]) {
                in += bytes[v];
            }
            peak = Math.max(peak, live + bytes[out] + sc * (in + bytes[out]));
            alive[out] = true;
            live += bytes[out];
            for (int v : distinctInputs[i]) {
                boolean keep = train && (neededInBackward[v] || (recompute && readByRecompute[v]));
                if (--left[v] > 0 || v == output || v < inputs) {
                    continue;
                }
                if (!keep) {
                    alive[v] = false;
                    live -= bytes[v];
                } else if (compress && compressible[v]) {
                    peak = Math.max(peak, live + compact[v]); // the copy beside the value
                    packed[v] = true;
                    live -= bytes[v] - compact[v];
                }
            }
            if (!train && readerCount[out] == 0 && out != output) {
                alive[out] = false;
                live -= bytes[out];
            }
            if (recompute && endsRecomputed[i] >= 0) {
                for (int v : internal[endsRecomputed[i]]) {
                    if (alive[v]) {
                        alive[v] = false;
                        live -= bytes[v];
                    }
                }
            }
        }
        if (!train) {
            return peak;
        }
        boolean[] hasGrad = new boolean[values];
        hasGrad[output] = true;
        long grads = bytes[output];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (recompute && endsRecomputed[i] >= 0) {
                // The block's forward again: its values come back one by one, and those no
                // backward reads go again after their last reader inside it (recompute()).
                int block = endsRecomputed[i];
                Graph.Scope s = scopes.get(block);
                int[] inside = new int[values];
                for (int j = s.first(); j < s.end(); j++) {
                    for (int v : distinctInputs[j]) {
                        inside[v]++;
                    }
                }
                for (int j = s.first(); j < s.end(); j++) {
                    int made = nodes.get(j).output();
                    long read = 0;
                    for (int v : distinctInputs[j]) {
                        read += bytes[v];
                    }
                    peak = Math.max(peak, live + grads + bytes[made] + sc * (read + bytes[made]));
                    if (!alive[made]) {
                        alive[made] = true;
                        live += bytes[made];
                    }
                    for (int v : distinctInputs[j]) {
                        if (--inside[v] == 0 && !neededInBackward[v] && contains(internal[block], v) && alive[v]) {
                            alive[v] = false;
                            live -= bytes[v];
                        }
                    }
                }
            }
            int out = nodes.get(i).output();
            if (hasGrad[out]) { // restoreFor: what the backward reads, back in its own type
                Graph.Node n = nodes.get(i);
                for (int j = -1; j < n.inputs().length; j++) {
                    int v = j < 0 ? out : n.inputs()[j];
                    boolean read = j < 0 ? n.op().cachesOutput() : n.op().cachesInput(j);
                    if (read && packed[v]) {
                        packed[v] = false;
                        peak = Math.max(peak, live + grads + bytes[v]);
                        live += bytes[v] - compact[v];
                    }
                }
            }
            long in = 0;
            long newGrads = 0;
            for (int v : distinctInputs[i]) {
                in += bytes[v];
                if (!hasGrad[v]) {
                    hasGrad[v] = true;
                    newGrads += bytes[v];
                }
            }
            if (hasGrad[out]) {
                // backward's input gradients (a second one for a value that already has one, until
                // added) and scratch the size of the node's inputs and output
                peak = Math.max(peak, live + grads + in + sc * (in + bytes[out]));
                grads += newGrads;
                hasGrad[out] = false;
                grads -= bytes[out];
            }
            if (alive[out] && out != output) {
                alive[out] = false;
                live -= packed[out] ? compact[out] : bytes[out];
                packed[out] = false;
            }
        }
        return peak;
    }

    /**
     * @param inputShapes the inputs' shapes
     * @return the output shape
     */
    public long[] outputShape(long[]... inputShapes) {
        return shapes(inputShapes)[output];
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        return outputShape(new long[][] {inputShape});
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        return forward(mode, x);
    }

    /**
     * Runs the program.
     *
     * @param mode   TRAIN keeps what backward needs; INFER frees each value once used
     * @param inputs the inputs, the caller's
     * @return the output, the caller's (free it with {@link BufferPool#release} or leave it to the
     *         garbage collector; in training, not before backward)
     */
    public INDArray forward(Mode mode, INDArray... inputs) {
        if (inputs.length != this.inputs) {
            throw new IllegalArgumentException(name + ": got " + inputs.length + " inputs, expected " + this.inputs);
        }
        clearCache();
        Live live = new Live(inputs);
        return mode == Mode.TRAIN ? forwardTrain(live) : forwardInfer(live);
    }

    private INDArray forwardInfer(Live live) {
        int[] left = readerCount.clone();
        for (int i = 0; i < nodes.size(); i++) {
            Graph.Node n = nodes.get(i);
            live.values[n.output()] = run(n, Mode.INFER, live);
            for (int v : distinctInputs[i]) {
                if (--left[v] == 0 && v != output) {
                    live.dropValue(v);
                }
            }
            if (readerCount[n.output()] == 0 && n.output() != output) {
                live.dropValue(n.output());
            }
        }
        return live.values[output];
    }

    private INDArray forwardTrain(Live live) {
        boolean recompute = activations == Activations.RECOMPUTE;
        boolean compress = activations == Activations.KEEP_BF16;
        training = live;
        int[] left = readerCount.clone();
        live.store.enter();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                Graph.Node n = nodes.get(i);
                live.values[n.output()] = run(n, Mode.TRAIN, live);
                for (int v : distinctInputs[i]) {
                    if (--left[v] > 0 || v == output) {
                        continue;
                    }
                    if (!neededInBackward[v] && !(recompute && readByRecompute[v])) {
                        live.dropValue(v); // no backward reads it: it dies as in inference
                    } else if (compress && compressible[v]) {
                        live.compress(v);
                    }
                }
                if (recompute && endsRecomputed[i] >= 0) {
                    forgetInside(endsRecomputed[i], live);
                }
            }
        } finally {
            live.store.exit();
        }
        INDArray out = live.values[output];
        live.keep(out);
        live.recompute = recompute;
        return out;
    }

    /** Runs one node's forward on the values it reads. */
    private static INDArray run(Graph.Node n, Mode mode, Live live) {
        INDArray y = n.op().forward(mode, live.gather(n.inputs()));
        if (y == null) {
            throw new IllegalStateException(n.op().name() + ": forward returned null");
        }
        return y;
    }

    /** After a recomputed block's forward: frees its inner values and its layers' caches. */
    private void forgetInside(int scope, Live live) {
        for (int v : internal[scope]) {
            live.dropValue(v);
        }
        Graph.Scope s = scopes.get(scope);
        for (int i = s.first(); i < s.end(); i++) {
            nodes.get(i).op().clearCache();
        }
    }

    /** Before a recomputed block's backward: runs its forward again, its running statistics restored. */
    private void recompute(int scope, Live live) {
        Graph.Scope s = scopes.get(scope);
        List<Buffer> buffers = new ArrayList<>();
        for (int i = s.first(); i < s.end(); i++) {
            buffers.addAll(nodes.get(i).op().buffers());
        }
        INDArray[] saved = buffers.stream().map(b -> b.value().dup()).toArray(INDArray[]::new);
        int[] left = new int[values];
        for (int i = s.first(); i < s.end(); i++) {
            for (int v : distinctInputs[i]) {
                left[v]++;
            }
        }
        for (int i = s.first(); i < s.end(); i++) {
            Graph.Node n = nodes.get(i);
            live.replaceValue(n.output(), run(n, Mode.TRAIN, live));
            for (int v : distinctInputs[i]) {
                if (--left[v] == 0 && !neededInBackward[v] && contains(internal[scope], v)) {
                    live.dropValue(v);
                }
            }
        }
        for (int k = 0; k < saved.length; k++) {
            buffers.get(k).value().assign(saved[k]);
            BufferPool.release(saved[k]);
        }
    }

    /** Before a node's backward: the values it reads that are stored compressed, back in their type. */
    private static void restoreFor(Graph.Node n, Live live) {
        if (n.op().cachesOutput()) {
            live.restore(n.output());
        }
        for (int j = 0; j < n.inputs().length; j++) {
            if (n.op().cachesInput(j)) {
                live.restore(n.inputs()[j]);
            }
        }
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        return backwardAll(gradOut)[0];
    }

    /**
     * Back-propagates through the last training forward, adding into every parameter's gradient.
     *
     * @param gradOut dL/dOutput, the caller's (read, never written or freed)
     * @return dL/dInput for every input, the caller's
     */
    public INDArray[] backwardAll(INDArray gradOut) {
        Live live = training;
        if (live == null) {
            throw new IllegalStateException(name + ": backward called without a forward in Mode.TRAIN before it");
        }
        training = null;
        if (!Arrays.equals(gradOut.shape(), live.values[output].shape())) {
            throw new ShapeException(name + ": gradient shape " + Shapes.str(gradOut.shape())
                    + " differs from the output shape " + Shapes.str(live.values[output].shape()));
        }
        live.keep(gradOut);
        live.grads[output] = Grad.of(gradOut);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Graph.Node n = nodes.get(i);
            if (live.recompute && endsRecomputed[i] >= 0) {
                recompute(endsRecomputed[i], live);
            }
            Grad g = live.grads[n.output()];
            live.grads[n.output()] = null;
            if (g == null) { // nothing downstream read it
                n.op().clearCache();
            } else {
                INDArray gOut = live.whole(g);
                restoreFor(n, live);
                Grad[] gIn = n.op().backward(gOut);
                if (gIn.length != n.inputs().length) {
                    throw new IllegalStateException(n.op().name() + ": backward returned " + gIn.length
                            + " gradients for " + n.inputs().length + " inputs");
                }
                for (int j = 0; j < gIn.length; j++) {
                    live.accumulate(n.inputs()[j], gIn[j]);
                }
                live.free(gOut);
            }
            live.dropValue(n.output());
        }
        INDArray[] dx = new INDArray[inputs];
        for (int i = 0; i < inputs; i++) {
            Grad g = live.grads[i];
            live.grads[i] = null;
            dx[i] = g == null ? null : live.whole(g);
            live.keep(dx[i]);
        }
        live.freeAll();
        return dx;
    }

    /**
     * Frees what the last training forward kept, without a backward; a later backward fails.
     * Forward calls it first.
     */
    @Override
    public void clearCache() {
        Live live = training;
        training = null;
        if (live == null) {
            return;
        }
        ops.forEach(MultiInputLayer::clearCache);
        live.freeAll();
    }

    @Override
    public void zeroGrad() {
        parameters.forEach(Parameter::zeroGrad);
    }

    /** The arrays of one run: values and gradients by value id, and the caller's arrays. */
    private final class Live {
        final INDArray[] values = new INDArray[Tape.this.values];
        final Grad[] grads = new Grad[Tape.this.values];
        /** The handles the layers took in this pass; by value, those stored compressed. */
        final Saved.Store store = new Saved.Store();
        final Saved[] stored = new Saved[Tape.this.values];
        final List<INDArray> callers = new ArrayList<>();
        boolean recompute;

        Live(INDArray[] in) {
            for (int i = 0; i < in.length; i++) {
                values[i] = Objects.requireNonNull(in[i], "input " + i);
                callers.add(in[i]);
            }
        }

        INDArray[] gather(int[] ids) {
            INDArray[] xs = new INDArray[ids.length];
            for (int i = 0; i < ids.length; i++) {
                xs[i] = values[ids[i]];
            }
            return xs;
        }

        void keep(INDArray a) {
            if (a != null) {
                callers.add(a);
            }
        }

        /** Forgets value v (never an input) and frees its array unless others share the memory. */
        void dropValue(int v) {
            if (v < inputs) {
                return;
            }
            if (stored[v] != null) { // never restored: no backward read it (its gradient was null)
                store.discard(stored[v]);
                stored[v] = null;
            }
            INDArray a = values[v];
            values[v] = null;
            free(a);
        }

        /**
         * Replaces value v by a bfloat16 copy and frees it, if a layer saved that very array,
         * it is float (double stays whole: it is the reference the float paths are checked
         * against) and no other live array shares its memory.
         */
        void compress(int v) {
            INDArray a = values[v];
            if (a == null || a.dataType() != DataType.FLOAT) {
                return;
            }
            Saved h = store.find(a);
            values[v] = null;
            if (h == null || h.compressed() || shared(a)) {
                values[v] = a;
                return;
            }
            store.compress(h, DataType.BFLOAT16);
            stored[v] = h;
            BufferPool.releaseMemory(a);
        }

        /** Value v back in its own type, if it is stored compressed. */
        void restore(int v) {
            Saved h = stored[v];
            if (h != null) {
                stored[v] = null;
                values[v] = store.restore(h);
            }
        }

        void replaceValue(int v, INDArray a) {
            INDArray old = values[v];
            values[v] = a;
            free(old);
        }

        /** Frees an array no slot holds any more, unless a live array shares its memory. */
        void free(INDArray a) {
            if (a != null && !shared(a)) {
                BufferPool.releaseMemory(a);
            }
        }

        /** Whether an array in a slot, or one of the caller's, shares a's memory. */
        boolean shared(INDArray a) {
            for (INDArray v : values) {
                if (v != null && BufferPool.sameMemory(v, a)) {
                    return true;
                }
            }
            for (Grad g : grads) {
                if (g != null && BufferPool.sameMemory(g.array(), a)) {
                    return true;
                }
            }
            for (INDArray c : callers) {
                if (BufferPool.sameMemory(c, a)) {
                    return true;
                }
            }
            return false;
        }

        /** @return the whole gradient: g's array, or a zero array with g's window added */
        INDArray whole(Grad g) {
            if (!g.isWindow()) {
                return g.array();
            }
            INDArray z = BufferPool.allocate(g.array().dataType(), g.shape()).assign(0);
            g.region(z).assign(g.array());
            free(g.array());
            return z;
        }

        /** Adds a gradient contribution of value v. */
        void accumulate(int v, Grad c) {
            Grad cur = grads[v];
            if (cur == null) {
                grads[v] = c;
                return;
            }
            grads[v] = null;
            Grad whole;
            Grad other;
            if (!cur.isWindow()) {
                whole = cur;
                other = c;
            } else if (!c.isWindow()) {
                whole = c;
                other = cur;
            } else {
                whole = Grad.of(whole(cur));
                other = c;
            }
            INDArray target = whole.array();
            if (shared(target) || BufferPool.sameMemory(target, other.array())) {
                target = BufferPool.allocate(target.dataType(), target.shape()).assign(target);
            }
            NativeOps.addInto(other.isWindow() ? other.region(target) : target, other.array());
            grads[v] = Grad.of(target);
            if (target != whole.array()) {
                free(whole.array());
            }
            free(other.array());
        }

        void freeAll() {
            for (int v = inputs; v < values.length; v++) {
                dropValue(v);
            }
            Arrays.fill(stored, null);
            store.clear();
            for (int v = 0; v < grads.length; v++) {
                Grad g = grads[v];
                grads[v] = null;
                if (g != null) {
                    free(g.array());
                }
            }
        }
    }
}
