package io.github.unet4j.core.onnx;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.io.CheckpointException;
import io.github.unet4j.core.io.ConfigCodec;
import io.github.unet4j.core.io.ModelFile;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Reads a model unet4j exported ({@link OnnxExport}) back into a {@link ModelFile}: the
 * configuration from the {@value OnnxExport#CONFIG} metadata, the parameters and batch-norm
 * statistics from the initializers of the same names, the checkpoint's metadata from the
 * {@code unet4j.checkpoint.*} keys. Weights come back as the float32 they were written in. A
 * graph with batch norm folded, or one another tool wrote, is refused with the reason.
 */
public final class OnnxImport {
    private static final String CHECKPOINT_PREFIX = "unet4j.checkpoint.";

    private OnnxImport() {
    }

    /**
     * @param source where the bytes came from, for messages and {@link ModelFile#source()}
     * @param bytes  a serialised ONNX model
     * @return the model
     * @throws CheckpointException naming the source and what is wrong
     */
    public static ModelFile read(Path source, byte[] bytes) throws CheckpointException {
        Onnx.ModelProto m;
        try {
            m = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new CheckpointException(source, "not an ONNX model (" + e.getMessage() + ")", e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        m.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
        String json = meta.get(OnnxExport.CONFIG);
        if (json == null) {
            throw new CheckpointException(source, "has no " + OnnxExport.CONFIG + " metadata, so it was not "
                    + "exported by unet4j; unet4j reads back only its own exports (run other models in ONNX Runtime)", null);
        }
        UNetConfig config;
        try {
            config = ConfigCodec.read(new ObjectMapper().readTree(json));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new CheckpointException(source, "its " + OnnxExport.CONFIG + " metadata is not a configuration: "
                    + e.getMessage(), e);
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Onnx.TensorProto t : m.getGraph().getInitializerList()) {
            if (t.getDataType() == Onnx.TensorProto.DataType.FLOAT_VALUE && !t.getRawData().isEmpty()) {
                FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
                tensors.put(t.getName(), Nd4j.create(v, shape, 'c'));
            }
        }
        // Which of them the network has: a network of the configuration names its tensors.
        UNet probe = new UNet(config, DataType.FLOAT, 0);
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> buffers = new LinkedHashMap<>();
        Set<String> missing = new TreeSet<>();
        probe.parameters().forEach(p -> put(p.name(), tensors, params, missing));
        probe.buffers().forEach(b -> put(b.name(), tensors, buffers, missing));
        if (!missing.isEmpty()) {
            throw new CheckpointException(source, "lacks the tensors " + missing + (config.batchNorm()
                    ? "; it was exported with batch norm folded into the convolutions; export without "
                            + "--fold-batch-norm to read it back" : ""), null);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(CHECKPOINT_PREFIX) && !k.equals(CHECKPOINT_PREFIX + "step")) {
                metadata.put(k.substring(CHECKPOINT_PREFIX.length()), v);
            }
        });
        long step = 0;
        try {
            step = Long.parseLong(meta.getOrDefault(CHECKPOINT_PREFIX + "step", "0"));
        } catch (NumberFormatException e) {
            throw new CheckpointException(source, "metadata " + CHECKPOINT_PREFIX + "step is not a number", e);
        }
        return new ModelFile(source, config, step, metadata, params, buffers);
    }

    private static void put(String name, Map<String, INDArray> from, Map<String, INDArray> into, Set<String> missing) {
        INDArray t = from.get(name);
        if (t == null) {
            missing.add(name);
        } else {
            into.put(name, t);
        }
    }
}
