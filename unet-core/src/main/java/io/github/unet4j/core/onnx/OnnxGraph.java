package io.github.unet4j.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Builds one ONNX model: nodes, initializers, the graph's inputs and outputs and the model's
 * metadata. The only class that touches ONNX's protobuf classes (generated into
 * {@code nd4j-api} as {@code onnx.Onnx}, on ND4J's shaded protobuf), so the exporter reads as
 * a list of operators.
 *
 * <p>Tensors are written as float32 (raw little-endian data), or int64 for operator arguments
 * such as {@code Slice}'s starts. Names must be unique across initializers and node outputs; a
 * repeated name is refused, since ONNX would silently bind the wrong value.
 */
final class OnnxGraph {
    /** ONNX IR 7: read by ONNX Runtime back to 1.3 (deepImageJ's older engines). */
    static final long IR_VERSION = 7;
    /** Opset 13: the first whose Softmax works along one axis of an N-D tensor. */
    static final long OPSET = 13;

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int nodes;

    /** @param name the graph's name */
    OnnxGraph(String name) {
        graph.setName(name);
    }

    /**
     * A float32 constant, converted from any floating type.
     *
     * @param name  a unique name (the state dict's, for a parameter)
     * @param value the tensor
     * @return the name
     */
    String initializer(String name, INDArray value) {
        claim(name);
        INDArray f = value.dataType() == DataType.FLOAT ? value : value.castTo(DataType.FLOAT);
        float[] data = f.dup('c').data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : value.shape()) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /**
     * An int64 vector constant (an operator's argument).
     *
     * @param name   a unique name
     * @param values the values
     * @return the name
     */
    String int64s(String name, long... values) {
        Onnx.TensorProto.Builder t = vector(name, Onnx.TensorProto.DataType.INT64_VALUE, values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    /**
     * A float32 vector constant (an operator's argument).
     *
     * @param name   a unique name
     * @param values the values
     * @return the name
     */
    String floats(String name, float... values) {
        Onnx.TensorProto.Builder t = vector(name, Onnx.TensorProto.DataType.FLOAT_VALUE, values.length);
        for (float v : values) {
            t.addFloatData(v);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A 1-D tensor of a claimed name, its values still to add. */
    private Onnx.TensorProto.Builder vector(String name, int dataType, int length) {
        claim(name);
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(dataType).addDims(length);
    }

    /**
     * A node of the default domain.
     *
     * @param op         the operator, e.g. {@code "Conv"}
     * @param output     the name of its one output, unique
     * @param inputs     its inputs' names ({@code ""} for an omitted optional input)
     * @param attributes its attributes
     * @return the output's name
     */
    String node(String op, String output, List<String> inputs, Attribute... attributes) {
        claim(output);
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(op + "_" + nodes++)
                .addOutput(output).addAllInput(inputs);
        for (Attribute a : attributes) {
            n.addAttribute(a.proto);
        }
        graph.addNode(n);
        return output;
    }

    /**
     * Declares a graph input of float32.
     *
     * @param name a unique name
     * @param dims each a {@code Long} (a fixed size) or a {@code String} (a named, free size)
     */
    void input(String name, Object... dims) {
        claim(name);
        graph.addInput(valueInfo(name, dims));
    }

    /**
     * Declares a node's output as the graph's output, of float32.
     *
     * @param name an existing value's name
     * @param dims as for {@link #input}
     */
    void output(String name, Object... dims) {
        if (!names.contains(name)) {
            throw new IllegalStateException("ONNX graph: output '" + name + "' is made by no node");
        }
        graph.addOutput(valueInfo(name, dims));
    }

    /**
     * @param key   a metadata key
     * @param value its value
     */
    void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** @param text the graph's doc string */
    void doc(String text) {
        graph.setDocString(text);
    }

    /**
     * @param producerVersion the exporting library's version
     * @return the serialised model
     */
    byte[] toBytes(String producerVersion) {
        Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("unet4j").setProducerVersion(producerVersion).setModelVersion(1).setGraph(graph);
        metadata.forEach((k, v) -> m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build().toByteArray();
    }

    private void claim(String name) {
        if (name.isEmpty() || !names.add(name)) {
            throw new IllegalStateException("ONNX graph: the name '" + name + "' is empty or used twice");
        }
    }

    private static Onnx.ValueInfoProto valueInfo(String name, Object... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Long size) {
                dim.setDimValue(size);
            } else if (d instanceof String param) {
                dim.setDimParam(param);
            } else {
                throw new IllegalArgumentException("ONNX graph: a dimension is a Long or a String, got " + d);
            }
            shape.addDim(dim);
        }
        Onnx.TypeProto type = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /** A node attribute. */
    static final class Attribute {
        private final Onnx.AttributeProto proto;

        private Attribute(Onnx.AttributeProto proto) {
            this.proto = proto;
        }

        /**
         * @param name   the attribute
         * @param values its integers
         * @return an INTS attribute
         */
        static Attribute ints(String name, long... values) {
            Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            return new Attribute(a.build());
        }

        /**
         * @param name  the attribute
         * @param value its integer
         * @return an INT attribute
         */
        static Attribute integer(String name, long value) {
            return new Attribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build());
        }

        /**
         * @param name  the attribute
         * @param value its number
         * @return a FLOAT attribute
         */
        static Attribute real(String name, float value) {
            return new Attribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build());
        }

        /**
         * @param name  the attribute
         * @param value its text
         * @return a STRING attribute
         */
        static Attribute text(String name, String value) {
            return new Attribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build());
        }
    }
}
