package io.github.unet4j.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.Upsampling;
import io.github.unet4j.core.blocks.BlockFactory;
import io.github.unet4j.core.blocks.OutConv;
import io.github.unet4j.core.graph.Block;
import io.github.unet4j.core.graph.Graph;
import io.github.unet4j.core.graph.Tape;
import io.github.unet4j.core.graph.Var;
import io.github.unet4j.core.layers.Add;
import io.github.unet4j.core.layers.BatchNorm2d;
import io.github.unet4j.core.layers.Conv2d;
import io.github.unet4j.core.layers.ReLU;
import io.github.unet4j.core.testing.TestTensors;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exported graph run by ONNX Runtime equals unet4j's own inference forward: every variant of
 * the configuration on a tiny network, at two input sizes and batch sizes through one graph (the
 * sizes are free), and the paper's network at 572x572 once.
 */
class OnnxExportTest {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxExportTest.class);
    /**
     * Float against float through different kernels, relative to the output's largest magnitude
     * (absolute for outputs within [-1, 1], such as probabilities): logits of magnitude 8-10 carry
     * float rounding of about 1e-6 per operation, measured at up to 1.2e-5 absolute, 1.4e-6 of
     * their scale.
     */
    private static final double TOLERANCE = 1e-5;

    /** Batch norm in a variant: none, as nodes, folded into the convolutions. */
    enum Norm {
        NONE, NODES, FOLDED
    }

    static Stream<Arguments> variants() {
        List<Arguments> all = new ArrayList<>();
        for (Padding padding : Padding.values()) {
            for (Norm norm : Norm.values()) {
                for (Upsampling up : Upsampling.values()) {
                    for (boolean softmax : new boolean[] {false, true}) {
                        all.add(Arguments.of(padding, norm, up, softmax));
                    }
                }
            }
        }
        return all.stream();
    }

    private static UNetConfig tiny(Padding padding, Norm norm, Upsampling up) {
        return new UNetConfig(2, 3, 3, 4, padding, norm != Norm.NONE, 0.5, up);
    }

    /** Running statistics and norm parameters far from their initial 0 and 1, so a mix-up shows. */
    private static void randomizeBatchNorms(UNet net, long seed) {
        Random r = new Random(seed);
        for (Object layer : net.layers()) {
            if (layer instanceof BatchNorm2d bn) {
                long c = bn.runningMean().length();
                for (long i = 0; i < c; i++) {
                    bn.runningMean().putScalar(i, r.nextGaussian() * 0.5);
                    bn.runningVar().putScalar(i, 0.5 + 1.5 * r.nextDouble());
                    bn.gamma().value().putScalar(i, 0.5 + r.nextDouble());
                    bn.beta().value().putScalar(i, r.nextGaussian() * 0.3);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}, batch norm {1}, {2}, softmax {3}")
    @MethodSource("variants")
    void onnxRuntimeEqualsTheForwardOfEveryVariant(Padding padding, Norm norm, Upsampling up, boolean softmax)
            throws OrtException {
        UNetConfig config = tiny(padding, norm, up);
        UNet net = new UNet(config, DataType.FLOAT, 11);
        TestTensors.nonZeroBiases(net.parameters(), 3);
        randomizeBatchNorms(net, 5);
        OnnxExport.Options options = OnnxExport.Options.defaults().withSoftmax(softmax)
                .withBatchNorm(norm == Norm.FOLDED ? OnnxExport.BatchNorm.FOLDED : OnnxExport.BatchNorm.NODES);
        byte[] model = OnnxExport.toBytes(net, options);

        int h = config.validInputSizeAtLeast(20);
        int w = config.validInputSizeAtLeast(h + 1);
        try (Ort ort = new Ort(model)) {
            for (long[] shape : new long[][] {{2, 2, h, w}, {1, 2, w, config.validInputSizeAtLeast(w + 1)}}) {
                INDArray x = TestTensors.awayFromZero(shape[2] * 7 + shape[0], DataType.FLOAT, shape);
                INDArray expected = net.forward(x, Mode.INFER);
                if (softmax) {
                    expected = softmaxOverChannels(expected);
                }
                INDArray actual = ort.run(x);
                assertArrayEquals(expected.shape(), actual.shape(), "output shape at input " + List.of(shape[2], shape[3]));
                double diff = maxAbsDiff(actual, expected);
                double scale = Math.max(1, expected.amaxNumber().doubleValue());
                assertTrue(diff <= TOLERANCE * scale, "largest difference " + diff + " at input shape "
                        + java.util.Arrays.toString(shape) + ", largest |output| " + scale);
                assertTrue(expected.amaxNumber().doubleValue() > 1e-3, "a non-trivial output");
            }
        }
    }

    @Test
    void theInitializersAreTheStateDictsTensorsByNameShapeAndValue() throws IOException {
        UNet net = new UNet(tiny(Padding.VALID, Norm.NODES, Upsampling.TRANSPOSED), DataType.FLOAT, 2);
        randomizeBatchNorms(net, 1);
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(OnnxExport.toBytes(net, OnnxExport.Options.defaults()));
        assertEquals(7, m.getIrVersion());
        assertEquals(13, m.getOpsetImport(0).getVersion());
        Map<String, Onnx.TensorProto> tensors = new LinkedHashMap<>();
        for (Onnx.TensorProto t : m.getGraph().getInitializerList()) {
            if (t.getDataType() == Onnx.TensorProto.DataType.FLOAT_VALUE && !t.getRawData().isEmpty()) {
                tensors.put(t.getName(), t);
            }
        }
        Map<String, INDArray> state = net.stateDict();
        assertEquals(state.keySet(), tensors.keySet());
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            Onnx.TensorProto t = tensors.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), t.getDimsList().stream().mapToLong(Long::longValue).toArray(),
                    e.getKey());
            FloatBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] values = new float[raw.remaining()];
            raw.get(values);
            assertArrayEquals(e.getValue().dup('c').data().asFloat(), values, e.getKey());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        m.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
        UNetConfig c = net.config();
        int min = Integer.parseInt(meta.get(OnnxExport.SIZE_MIN));
        int step = Integer.parseInt(meta.get(OnnxExport.SIZE_STEP));
        int offset = Integer.parseInt(meta.get(OnnxExport.SIZE_OFFSET));
        assertEquals(c.validInputSizes(1, min + 3 * step), List.of(min, min + step, min + 2 * step, min + 3 * step));
        assertEquals(min + 2 * step - offset, c.outputSize(min + 2 * step));
        assertTrue(meta.get(OnnxExport.CONFIG).contains("\"baseChannels\":4"), meta.get(OnnxExport.CONFIG));
    }

    @Test
    void foldingRemovesTheBatchNormNodesAndKeepsTheConvolutionsNames() throws IOException {
        UNet net = new UNet(tiny(Padding.SAME, Norm.FOLDED, Upsampling.TRANSPOSED), DataType.FLOAT, 2);
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(OnnxExport.toBytes(net,
                OnnxExport.Options.defaults().withBatchNorm(OnnxExport.BatchNorm.FOLDED)));
        assertFalse(m.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("BatchNormalization")));
        List<String> names = m.getGraph().getInitializerList().stream().map(Onnx.TensorProto::getName).toList();
        assertTrue(names.contains("inc.conv1.weight") && names.contains("inc.conv1.bias"), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.contains(".bn")), names.toString());
        assertEquals(net.config().convolutionLayers(), m.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().startsWith("Conv")).count());
    }

    /** relu(conv2(relu(conv1(x))) + project(x)) with SAME convolutions: exercises Add. */
    static final class ResidualSame implements Block {
        private final String name;
        private final Conv2d conv1;
        private final Conv2d conv2;
        private final Conv2d project;
        private final ReLU relu1;
        private final ReLU relu2;
        private final Add add;

        ResidualSame(String name, int in, int out, DataType dtype) {
            this.name = name;
            conv1 = new Conv2d(name + ".conv1", in, out, 3, Padding.SAME, true, dtype);
            conv2 = new Conv2d(name + ".conv2", out, out, 3, Padding.SAME, true, dtype);
            project = new Conv2d(name + ".project", in, out, 1, Padding.VALID, false, dtype);
            relu1 = new ReLU(name + ".relu1");
            relu2 = new ReLU(name + ".relu2");
            add = new Add(name + ".add");
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Var forward(Graph g, Var x) {
            Var h = g.apply(conv2, g.apply(relu1, g.apply(conv1, x)));
            return g.apply(relu2, g.apply(add, h, g.apply(project, x)));
        }
    }

    /** A residual first level, and a classifier that runs as a nested {@link Tape}. */
    static final class ResidualAndNested implements BlockFactory {
        @Override
        public Block inc(String name, int in, int out, UNetConfig c, DataType dt) {
            return new ResidualSame(name, in, out, dt);
        }

        @Override
        public Block out(String name, int in, int classes, UNetConfig c, DataType dt) {
            Tape inner = Tape.of(new OutConv(name, in, classes, dt));
            return new Block() {
                @Override
                public String name() {
                    return name + "-nested";
                }

                @Override
                public Var forward(Graph g, Var x) {
                    return g.apply(inner, x);
                }
            };
        }
    }

    @Test
    void usersBlocksWithAddAndNestedTapesExportToo() throws OrtException {
        UNetConfig config = tiny(Padding.SAME, Norm.NONE, Upsampling.BILINEAR);
        UNet net = new UNet(config, DataType.FLOAT, 4, new ResidualAndNested());
        TestTensors.nonZeroBiases(net.parameters(), 9);
        INDArray x = TestTensors.awayFromZero(8, DataType.FLOAT, 2, 2, 16, 24);
        INDArray expected = net.forward(x, Mode.INFER);
        try (Ort ort = new Ort(OnnxExport.toBytes(net, OnnxExport.Options.defaults()))) {
            INDArray actual = ort.run(x);
            assertArrayEquals(expected.shape(), actual.shape());
            double scale = Math.max(1, expected.amaxNumber().doubleValue());
            assertTrue(maxAbsDiff(actual, expected) <= TOLERANCE * scale, "largest difference "
                    + maxAbsDiff(actual, expected) + ", largest |output| " + scale);
        }
    }

    /** A layer the exporter does not know. */
    static final class Square implements Layer {
        @Override
        public String name() {
            return "outc.square";
        }

        @Override
        public long[] outputShape(long[] in) {
            return in.clone();
        }

        @Override
        public INDArray forward(INDArray x, Mode mode) {
            return x.mul(x);
        }

        @Override
        public INDArray backward(INDArray gradOut) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void clearCache() {
        }
    }

    @Test
    void aLayerWithoutTranslationIsRefusedByName() {
        UNet net = new UNet(tiny(Padding.SAME, Norm.NONE, Upsampling.BILINEAR), DataType.FLOAT, 4, new BlockFactory() {
            @Override
            public Block out(String name, int in, int classes, UNetConfig c, DataType dt) {
                OutConv conv = new OutConv(name, in, classes, dt);
                Square square = new Square();
                return new Block() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public Var forward(Graph g, Var x) {
                        return g.apply(square, g.apply(conv, x));
                    }
                };
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.toBytes(net, OnnxExport.Options.defaults()));
        assertTrue(e.getMessage().contains("'outc.square' (Square) has no ONNX translation"), e.getMessage());
    }

    @Test
    void writeReplacesTheFileAtomicallyAndRefusesAMissingFolder(@TempDir Path dir) throws IOException {
        UNet net = new UNet(tiny(Padding.VALID, Norm.NONE, Upsampling.TRANSPOSED), DataType.FLOAT, 1);
        Path file = dir.resolve("unet.onnx");
        OnnxExport.write(net, file, OnnxExport.Options.defaults());
        assertEquals(1, Files.list(dir).count(), "no temporary file left");
        assertEquals("unet4j", Onnx.ModelProto.parseFrom(Files.readAllBytes(file)).getProducerName());
        IOException e = assertThrows(IOException.class,
                () -> OnnxExport.write(net, dir.resolve("missing/unet.onnx"), OnnxExport.Options.defaults()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void thePapersNetworkAt572() throws OrtException {
        UNet net = new UNet(UNetConfig.paper(), DataType.FLOAT, 7);
        TestTensors.nonZeroBiases(net.parameters(), 2);
        INDArray x = TestTensors.awayFromZero(3, DataType.FLOAT, 1, 1, 572, 572);
        INDArray expected = net.forward(x, Mode.INFER);
        INDArray actual;
        try (Ort ort = new Ort(OnnxExport.toBytes(net, OnnxExport.Options.defaults()))) {
            actual = ort.run(x);
        }
        assertArrayEquals(new long[] {1, 2, 388, 388}, actual.shape());
        double diff = maxAbsDiff(actual, expected);
        double scale = expected.amaxNumber().doubleValue();
        LOG.info("paper network at 572x572 in ONNX Runtime: largest difference {} (largest |logit| {})", diff, scale);
        assertTrue(diff <= TOLERANCE * Math.max(1, scale), "largest difference " + diff + ", largest |logit| " + scale);
    }

    static INDArray softmaxOverChannels(INDArray logits) {
        INDArray max = logits.max(true, 1);
        INDArray e = Transforms.exp(logits.sub(max), false);
        return e.div(e.sum(true, 1));
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)), false).maxNumber().doubleValue();
    }

    /** One ONNX Runtime session on a model in memory. */
    static final class Ort implements AutoCloseable {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;

        Ort(byte[] model) throws OrtException {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                session = env.createSession(model, options);
            }
        }

        INDArray run(INDArray x) throws OrtException {
            float[] data = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
            try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), x.shape());
                    OrtSession.Result r = session.run(Map.of(OnnxExport.INPUT, in))) {
                OnnxTensor out = (OnnxTensor) r.get(0);
                FloatBuffer fb = out.getFloatBuffer();
                float[] values = new float[fb.remaining()];
                fb.get(values);
                return Nd4j.create(values, out.getInfo().getShape(), 'c');
            }
        }

        @Override
        public void close() throws OrtException {
            session.close();
        }
    }
}
