package io.github.unet4j.core.onnx;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.graph.LayerCall;
import io.github.unet4j.core.graph.Tape;
import io.github.unet4j.core.io.AtomicFile;
import io.github.unet4j.core.io.ConfigCodec;
import io.github.unet4j.core.layers.Add;
import io.github.unet4j.core.layers.BatchNorm2d;
import io.github.unet4j.core.layers.BilinearUpsample2d;
import io.github.unet4j.core.layers.Conv2d;
import io.github.unet4j.core.layers.ConvTranspose2d;
import io.github.unet4j.core.layers.CropAndConcat;
import io.github.unet4j.core.layers.Dropout;
import io.github.unet4j.core.layers.MaxPool2d;
import io.github.unet4j.core.layers.ReLU;
import io.github.unet4j.core.onnx.OnnxGraph.Attribute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link UNet} as an ONNX model (IR 7, opset 13, float32) that ONNX Runtime, deepImageJ
 * and other ONNX engines run for inference.
 *
 * <pre>{@code
 * OnnxExport.write(net, Path.of("unet.onnx"), OnnxExport.Options.defaults().withSoftmax(true));
 * }</pre>
 *
 * <p>The graph is translated from the network's recorded program ({@link UNet#program()}), layer
 * by layer: {@code Conv}, {@code Relu}, {@code MaxPool}, {@code ConvTranspose} or {@code Resize}
 * (linear, half_pixel: PyTorch's {@code align_corners=False}), {@code Slice} + {@code Concat} for
 * crop-and-concatenate, {@code BatchNormalization} with the running statistics (or folded into
 * the convolution before it), {@code Add}; dropout is left out (it is the identity in
 * inference). Parameters keep their state-dict names, so the initializers can be matched to a
 * checkpoint's {@code .npy} members.
 *
 * <p>Input {@code input [batch, inChannels, height, width]} and output {@code logits} (or
 * {@code probabilities} with the softmax head) {@code [batch, classes, out_height, out_width]};
 * batch and spatial sizes are left free. The graph takes any size the configuration takes
 * ({@link UNetConfig#isValidInputSize}); ONNX cannot say which, so the size rule is written into
 * the model's metadata ({@value #SIZE_MIN}, {@value #SIZE_STEP}, {@value #SIZE_OFFSET}). With VALID
 * padding every crop removes the same border whatever the input size (checked here at two
 * sizes), so the crops are fixed {@code Slice}s that work at every valid size.
 */
public final class OnnxExport {
    /** The graph input's name. */
    public static final String INPUT = "input";
    /** The output's name without the softmax head. */
    public static final String LOGITS = "logits";
    /** The output's name with the softmax head. */
    public static final String PROBABILITIES = "probabilities";
    /** Metadata key: the configuration as JSON (the checkpoint's {@code config} object). */
    public static final String CONFIG = "unet4j.config";
    /** Metadata key: the smallest valid input height and width. */
    public static final String SIZE_MIN = "unet4j.input_size_min";
    /** Metadata key: valid input sizes are the smallest plus multiples of this. */
    public static final String SIZE_STEP = "unet4j.input_size_step";
    /** Metadata key: the output is this many pixels smaller than the input along each axis. */
    public static final String SIZE_OFFSET = "unet4j.output_size_offset";

    /** How batch normalisation is written. */
    public enum BatchNorm {
        /** A {@code BatchNormalization} node with the running statistics: the state dict's tensors as they are. */
        NODES,
        /**
         * Folded into the convolution before it ({@code W' = W s}, {@code b' = beta + (b - mean) s},
         * {@code s = gamma / sqrt(var + eps)}, computed in double): one operator less per level;
         * the convolution's initializers then differ from the state dict.
         */
        FOLDED
    }

    /**
     * What to write.
     *
     * @param softmax   append {@code Softmax(axis=1)}, so the output is per-class probabilities
     * @param batchNorm how to write batch normalisation
     * @param metadata  extra metadata props (e.g. the checkpoint's normalisation), written as given
     */
    public record Options(boolean softmax, BatchNorm batchNorm, Map<String, String> metadata) {
        /** Validates and copies. */
        public Options {
            Objects.requireNonNull(batchNorm, "batchNorm");
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** @return logits out, batch norm as nodes, no extra metadata */
        public static Options defaults() {
            return new Options(false, BatchNorm.NODES, Map.of());
        }

        /** @param v whether to append the softmax @return a copy with that value */
        public Options withSoftmax(boolean v) {
            return new Options(v, batchNorm, metadata);
        }

        /** @param v how to write batch norm @return a copy with that value */
        public Options withBatchNorm(BatchNorm v) {
            return new Options(softmax, v, metadata);
        }

        /** @param v extra metadata @return a copy with that value */
        public Options withMetadata(Map<String, String> v) {
            return new Options(softmax, batchNorm, v);
        }
    }

    private final OnnxGraph graph;
    private final Options options;
    private final Set<String> valueNames = new HashSet<>();

    private OnnxExport(Options options) {
        this.graph = new OnnxGraph("unet4j");
        this.options = options;
    }

    /**
     * @param net     the network (its current weights; float or double, written as float32)
     * @param options what to write
     * @return the serialised ONNX model
     * @throws IllegalArgumentException naming a layer that has no ONNX translation, or a crop
     *                                  that depends on the input size
     */
    public static byte[] toBytes(UNet net, Options options) {
        Objects.requireNonNull(net, "net");
        return new OnnxExport(Objects.requireNonNull(options, "options")).translate(net);
    }

    /**
     * Writes the model to a file through a temporary file and an atomic rename.
     *
     * @param net     the network
     * @param path    the {@code .onnx} file
     * @param options what to write
     * @throws IOException naming the file and what went wrong
     */
    public static void write(UNet net, Path path, Options options) throws IOException {
        byte[] bytes = toBytes(net, options);
        AtomicFile.write(path, temp -> Files.write(temp, bytes), IOException.class,
                (p, problem, cause) -> new IOException(p + ": " + problem, cause));
    }

    /** @return the version in the jar's manifest, or {@code "dev"} outside a jar */
    static String version() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private byte[] translate(UNet net) {
        UNetConfig c = net.config();
        int step = c.inputSizeStep();
        int shrink = c.outputShrink();
        int a = c.validInputSizeAtLeast(1);
        int b = c.validInputSizeAtLeast(a + 1);
        // Two traces at different sizes per axis: a crop whose border changed with the size
        // could not be a fixed Slice.
        Tape.Program program = net.program();
        long[] shapeA = {1, c.inChannels(), a, b};
        long[] shapeB = {2, c.inChannels(), b, a};
        graph.input(INPUT, "batch", (long) c.inChannels(), "height", "width");
        String last = emit(program, net.trace(shapeA), net.trace(shapeB), new String[] {INPUT}, true);
        String out;
        if (options.softmax()) {
            out = graph.node("Softmax", PROBABILITIES, List.of(last), Attribute.integer("axis", 1));
        } else {
            out = last.equals(LOGITS) ? last : graph.node("Identity", LOGITS, List.of(last));
        }
        boolean same = c.padding() == Padding.SAME;
        graph.output(out, "batch", (long) c.classes(), same ? "height" : "out_height", same ? "width" : "out_width");

        ObjectNode config = new ObjectMapper().createObjectNode();
        ConfigCodec.write(c, config);
        graph.metadata(CONFIG, config.toString());
        graph.metadata(SIZE_MIN, Integer.toString(a));
        graph.metadata(SIZE_STEP, Integer.toString(step));
        graph.metadata(SIZE_OFFSET, Integer.toString(shrink));
        options.metadata().forEach(graph::metadata);
        graph.doc("U-Net (Ronneberger, Fischer and Brox, MICCAI 2015, doi:10.1007/978-3-319-24574-4_28) exported by"
                + " unet4j: input [batch, " + c.inChannels() + ", H, W] with H, W = " + a + " + k * " + step
                + ", output " + (options.softmax() ? "softmax probabilities" : "logits") + " [batch, " + c.classes()
                + ", H - " + shrink + ", W - " + shrink + "]");
        return graph.toBytes(version());
    }

    /**
     * Emits one program's steps.
     *
     * @param p      the program
     * @param traceA its layer calls at one input size
     * @param traceB at another
     * @param inputs the ONNX names of its inputs
     * @param top    whether it is the network's own program (whose output is named {@link #LOGITS})
     * @return the ONNX name of its output
     */
    private String emit(Tape.Program p, List<LayerCall> traceA, List<LayerCall> traceB, String[] inputs,
            boolean top) {
        Map<Integer, String> names = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            names.put(i, inputs[i]);
        }
        int[] readers = new int[inputs.length + p.steps().size()];
        for (Tape.Step s : p.steps()) {
            for (int v : s.inputs()) {
                readers[v]++;
            }
        }
        Set<Integer> folded = new HashSet<>();
        for (int i = 0; i < p.steps().size(); i++) {
            if (folded.contains(i)) {
                continue;
            }
            Tape.Step s = p.steps().get(i);
            String[] in = new String[s.inputs().length];
            for (int k = 0; k < in.length; k++) {
                in[k] = names.get(s.inputs()[k]);
            }
            Object layer = s.layer();
            String name = top && s.output() == p.output() && !options.softmax() ? LOGITS : null;
            if (layer instanceof Conv2d conv) {
                int bn = foldTarget(p, i, readers);
                if (bn >= 0) {
                    folded.add(bn);
                    Tape.Step norm = p.steps().get(bn);
                    String out = top && norm.output() == p.output() && !options.softmax() ? LOGITS
                            : value(((BatchNorm2d) norm.layer()).name());
                    names.put(norm.output(), foldedConv(conv, (BatchNorm2d) norm.layer(), in[0], out));
                    continue;
                }
                names.put(s.output(), conv(conv, in[0], out(name, conv.name())));
            } else if (layer instanceof BatchNorm2d norm) {
                names.put(s.output(), batchNorm(norm, in[0], out(name, norm.name())));
            } else if (layer instanceof ReLU relu) {
                names.put(s.output(), graph.node("Relu", out(name, relu.name()), List.of(in[0])));
            } else if (layer instanceof MaxPool2d pool) {
                names.put(s.output(), graph.node("MaxPool", out(name, pool.name()), List.of(in[0]),
                        Attribute.ints("kernel_shape", 2, 2), Attribute.ints("strides", 2, 2)));
            } else if (layer instanceof Dropout) {
                names.put(s.output(), in[0]);
            } else if (layer instanceof ConvTranspose2d up) {
                names.put(s.output(), upConv(up, in[0], out(name, up.name())));
            } else if (layer instanceof BilinearUpsample2d up) {
                String scales = graph.floats(up.name() + ".scales", 1, 1, 2, 2);
                names.put(s.output(), graph.node("Resize", out(name, up.name()),
                        List.of(in[0], "", scales), Attribute.text("mode", "linear"),
                        Attribute.text("coordinate_transformation_mode", "half_pixel")));
            } else if (layer instanceof CropAndConcat cat) {
                names.put(s.output(), cropAndConcat(cat, in, traceA.get(i), traceB.get(i),
                        out(name, cat.name())));
            } else if (layer instanceof Add add) {
                names.put(s.output(), graph.node("Add", out(name, add.name()), List.of(in)));
            } else if (layer instanceof Tape nested) {
                long[][] shapesA = traceA.get(i).inputShapes().toArray(long[][]::new);
                long[][] shapesB = traceB.get(i).inputShapes().toArray(long[][]::new);
                String out = emit(nested.program(), nested.trace(shapesA), nested.trace(shapesB), in, false);
                if (name != null && !out.equals(name)) {
                    out = graph.node("Identity", name, List.of(out));
                }
                names.put(s.output(), out);
            } else {
                throw new IllegalArgumentException("ONNX export: layer " + describe(layer)
                        + " has no ONNX translation; supported are Conv2d, BatchNorm2d, ReLU, MaxPool2d, Dropout,"
                        + " ConvTranspose2d, BilinearUpsample2d, CropAndConcat, Add and nested Tapes");
            }
        }
        return names.get(p.output());
    }

    /**
     * @return the step of the batch norm to fold into convolution step {@code i}, or -1: only
     *         with {@link BatchNorm#FOLDED}, and only when the norm is the convolution's one reader
     */
    private int foldTarget(Tape.Program p, int i, int[] readers) {
        if (options.batchNorm() != BatchNorm.FOLDED) {
            return -1;
        }
        int out = p.steps().get(i).output();
        if (readers[out] != 1 || out == p.output()) {
            return -1;
        }
        for (int j = i + 1; j < p.steps().size(); j++) {
            Tape.Step s = p.steps().get(j);
            for (int v : s.inputs()) {
                if (v == out) {
                    return s.layer() instanceof BatchNorm2d ? j : -1;
                }
            }
        }
        return -1;
    }

    private String conv(Conv2d conv, String in, String out) {
        List<String> inputs = new ArrayList<>(List.of(in, graph.initializer(conv.weight().name(), conv.weight().value())));
        if (conv.bias() != null) {
            inputs.add(graph.initializer(conv.bias().name(), conv.bias().value()));
        }
        return graph.node("Conv", out, inputs, convAttributes(conv));
    }

    private String foldedConv(Conv2d conv, BatchNorm2d norm, String in, String out) {
        INDArray w = conv.weight().value().castTo(DataType.DOUBLE);
        long outC = w.size(0);
        INDArray scale = norm.gamma().value().castTo(DataType.DOUBLE)
                .div(Transforms.sqrt(norm.runningVar().castTo(DataType.DOUBLE).add(norm.eps()), false));
        INDArray b = conv.bias() == null ? Nd4j.zeros(DataType.DOUBLE, outC) : conv.bias().value().castTo(DataType.DOUBLE);
        INDArray folded = w.mul(scale.reshape(outC, 1, 1, 1));
        INDArray bias = norm.beta().value().castTo(DataType.DOUBLE)
                .add(b.sub(norm.runningMean().castTo(DataType.DOUBLE)).mul(scale));
        String biasName = conv.bias() != null ? conv.bias().name() : conv.name() + ".bias";
        return graph.node("Conv", out, List.of(in, graph.initializer(conv.weight().name(), folded),
                graph.initializer(biasName, bias)), convAttributes(conv));
    }

    private static Attribute[] convAttributes(Conv2d conv) {
        int k = conv.kernel();
        long pad = conv.padding() == Padding.SAME ? (k - 1) / 2 : 0;
        return new Attribute[] {Attribute.ints("kernel_shape", k, k), Attribute.ints("strides", 1, 1),
                Attribute.ints("pads", pad, pad, pad, pad)};
    }

    private String batchNorm(BatchNorm2d norm, String in, String out) {
        String prefix = norm.name();
        return graph.node("BatchNormalization", out, List.of(in,
                graph.initializer(norm.gamma().name(), norm.gamma().value()),
                graph.initializer(norm.beta().name(), norm.beta().value()),
                graph.initializer(prefix + ".running_mean", norm.runningMean()),
                graph.initializer(prefix + ".running_var", norm.runningVar())),
                Attribute.real("epsilon", (float) norm.eps()));
    }

    private String upConv(ConvTranspose2d up, String in, String out) {
        List<String> inputs = new ArrayList<>(List.of(in, graph.initializer(up.weight().name(), up.weight().value())));
        if (up.bias() != null) {
            inputs.add(graph.initializer(up.bias().name(), up.bias().value()));
        }
        return graph.node("ConvTranspose", out, inputs, Attribute.ints("kernel_shape", 2, 2),
                Attribute.ints("strides", 2, 2));
    }

    /**
     * The skip map's centre crop as a {@code Slice} with fixed borders (a negative end counts
     * from the end, so the same node serves every input size), then the concatenation.
     */
    private String cropAndConcat(CropAndConcat cat, String[] in, LayerCall a, LayerCall b, String out) {
        long[] border = new long[2];
        for (int axis = 0; axis < 2; axis++) {
            long da = a.inputShapes().get(0)[2 + axis] - a.inputShapes().get(1)[2 + axis];
            long db = b.inputShapes().get(0)[2 + axis] - b.inputShapes().get(1)[2 + axis];
            if (da != db) {
                throw new IllegalArgumentException("ONNX export: CropAndConcat '" + cat.name() + "' crops " + da
                        + " pixels at one input size and " + db + " at another along axis " + (2 + axis)
                        + "; a graph with free sizes needs a fixed crop");
            }
            border[axis] = da;
        }
        String skip = in[0];
        if (border[0] != 0 || border[1] != 0) {
            long[] starts = {border[0] / 2, border[1] / 2};
            long[] ends = new long[2];
            for (int axis = 0; axis < 2; axis++) {
                long tail = border[axis] - starts[axis];
                ends[axis] = tail == 0 ? Long.MAX_VALUE : -tail;
            }
            skip = graph.node("Slice", value(cat.name() + ".crop"), List.of(in[0],
                    graph.int64s(cat.name() + ".starts", starts), graph.int64s(cat.name() + ".ends", ends),
                    graph.int64s(cat.name() + ".axes", 2, 3)));
        }
        return graph.node("Concat", out, List.of(skip, in[1]), Attribute.integer("axis", 1));
    }

    /** @return {@code fixed} (the graph's output name) if set, else a fresh name after the layer */
    private String out(String fixed, String layerName) {
        return fixed != null ? fixed : value(layerName);
    }

    /** @return a node output name for a layer, unique in this graph */
    private String value(String base) {
        String name = base;
        for (int k = 1; !valueNames.add(name) || name.equals(LOGITS) || name.equals(PROBABILITIES)
                || name.equals(INPUT); k++) {
            name = base + "_" + k;
        }
        return name;
    }

    private static String describe(Object layer) {
        String type = layer.getClass().getSimpleName();
        if (layer instanceof io.github.unet4j.core.Layer l) {
            return "'" + l.name() + "' (" + type + ")";
        }
        if (layer instanceof io.github.unet4j.core.MultiInputLayer l) {
            return "'" + l.name() + "' (" + type + ")";
        }
        return type;
    }
}
