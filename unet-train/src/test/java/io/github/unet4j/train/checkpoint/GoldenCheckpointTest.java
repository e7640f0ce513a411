package io.github.unet4j.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.train.optim.OptimizerState;
import io.github.unet4j.train.optim.Sgd;
import io.github.unet4j.train.optim.SgdConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads checkpoints stored in {@code src/test/resources}, so that a change of the format (names,
 * layouts, JSON fields) fails here rather than in users' files.
 *
 * <p>{@code golden-v1.zip} was written by {@link #regenerateGolden()}; regenerate it only for an
 * intended format change (then also raise {@link Checkpoint#FORMAT_VERSION} and keep reading the
 * old file):
 * <pre>
 * mvn -o -pl unet-train -am test -DskipDocs -Dunet4j.regenerateGolden=true \
 *     -Dtest=GoldenCheckpointTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * {@code numpy-written.zip} was written by the NumPy writer of {@code docs/checkpoint-format.md}
 * (run on the same values), which checks that a file written outside Java loads.
 */
class GoldenCheckpointTest {

    /** Depth 2, 2 base channels, batch norm: conv layers without bias, up-conv without bias, buffers. */
    static final UNetConfig GOLDEN = UNetConfig.paper().withDepth(2).withBaseChannels(2).withDropout(0)
            .withBatchNorm(true);

    /** Value {@code i} (C order) of the {@code k}-th parameter: {@code (k + 1) + i / 1000}, as float32. */
    static float parameterValue(int k, long i) {
        return (float) ((k + 1) + i / 1000.0);
    }

    /** Value {@code i} of the {@code k}-th buffer: {@code -(k + 1) - i / 100}, as float32. */
    static float bufferValue(int k, long i) {
        return (float) (-(k + 1) - i / 100.0);
    }

    /** Momentum of the {@code k}-th parameter's element {@code i}: {@code 0.5 * (k + 1) + i}, as float32. */
    static float momentumValue(int k, long i) {
        return (float) (0.5 * (k + 1) + i);
    }

    private static INDArray filled(long[] shape, java.util.function.LongToDoubleFunction f) {
        INDArray a = Nd4j.zeros(DataType.FLOAT, shape);
        INDArray flat = a.reshape(a.length());
        for (long i = 0; i < a.length(); i++) {
            flat.putScalar(i, f.applyAsDouble(i));
        }
        return a;
    }

    @Test
    @EnabledIfSystemProperty(named = "unet4j.regenerateGolden", matches = "true")
    void regenerateGolden() throws IOException {
        UNet net = new UNet(GOLDEN, DataType.FLOAT, 0);
        List<Parameter> ps = net.parameters();
        for (int k = 0; k < ps.size(); k++) {
            int kk = k;
            ps.get(k).value().assign(filled(ps.get(k).shape(), i -> parameterValue(kk, i)));
        }
        List<Buffer> bs = net.buffers();
        for (int k = 0; k < bs.size(); k++) {
            int kk = k;
            bs.get(k).value().assign(filled(bs.get(k).value().shape(), i -> bufferValue(kk, i)));
        }
        Sgd sgd = new Sgd(ps, SgdConfig.paper(0.01));
        Map<String, INDArray> momentum = new LinkedHashMap<>();
        for (int k = 0; k < ps.size(); k++) {
            int kk = k;
            momentum.put(Sgd.MOMENTUM_SLOT + "/" + ps.get(k).name(), filled(ps.get(k).shape(),
                    i -> momentumValue(kk, i)));
        }
        sgd.loadState(new OptimizerState(Sgd.KIND, 7, Map.of(), "", momentum));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("seed", "42");
        meta.put("note", "golden checkpoint, format version 1");
        Path out = Paths.get("src/test/resources/io/github/unet4j/train/checkpoint/golden-v1.zip");
        Checkpoint.save(out, net, sgd, 7, meta);
    }

    private static Path resource(String name) throws URISyntaxException {
        URL url = GoldenCheckpointTest.class.getResource(name);
        assertNotNull(url, name + " missing from the test resources");
        return Paths.get(url.toURI());
    }

    private static void checkGoldenContent(Path file, boolean withOptimizer) throws IOException {
        Checkpoint c = Checkpoint.load(file);
        assertEquals(GOLDEN, c.config());
        assertEquals(7, c.step());
        assertEquals(1, c.formatVersion());

        // The network of this configuration has exactly these names and shapes.
        UNet net = new UNet(GOLDEN, DataType.FLOAT, 5);
        c.loadInto(net, null);
        assertEquals(List.of("inc.conv1.weight", "inc.bn1.weight", "inc.bn1.bias", "inc.conv2.weight", "inc.bn2.weight",
                "inc.bn2.bias", "down1.conv.conv1.weight", "down1.conv.bn1.weight", "down1.conv.bn1.bias",
                "down1.conv.conv2.weight", "down1.conv.bn2.weight", "down1.conv.bn2.bias", "up1.up.weight",
                "up1.conv.conv1.weight", "up1.conv.bn1.weight", "up1.conv.bn1.bias", "up1.conv.conv2.weight",
                "up1.conv.bn2.weight", "up1.conv.bn2.bias", "outc.conv.weight", "outc.conv.bias"),
                net.parameters().stream().map(Parameter::name).toList());
        assertArrayEquals(new long[] {4, 2, 2, 2}, c.parameters().get("up1.up.weight").shape(), "[in, out, kH, kW]");
        assertArrayEquals(new long[] {2, 4, 3, 3}, c.parameters().get("up1.conv.conv1.weight").shape());
        assertArrayEquals(new long[] {2, 2, 1, 1}, c.parameters().get("outc.conv.weight").shape());

        List<Parameter> ps = net.parameters();
        for (int k = 0; k < ps.size(); k++) {
            float[] v = ps.get(k).value().data().asFloat();
            for (int i = 0; i < v.length; i++) {
                assertEquals(parameterValue(k, i), v[i], 0f, ps.get(k).name() + "[" + i + "]");
            }
        }
        // A few values spelled out: inc.conv1.weight[0, 0, 1, 2] is element 5 of parameter 0.
        assertEquals(1.005f, net.parameters().get(0).value().getFloat(0, 0, 1, 2), 0f);
        assertEquals(13.001f, c.parameters().get("up1.up.weight").getFloat(0, 0, 0, 1), 0f);
        List<Buffer> bs = net.buffers();
        assertEquals("inc.bn1.running_mean", bs.get(0).name());
        for (int k = 0; k < bs.size(); k++) {
            float[] v = bs.get(k).value().data().asFloat();
            for (int i = 0; i < v.length; i++) {
                assertEquals(bufferValue(k, i), v[i], 0f, bs.get(k).name() + "[" + i + "]");
            }
        }
        if (withOptimizer) {
            assertEquals("42", c.metadata().get("seed"));
            Sgd sgd = new Sgd(net.parameters(), SgdConfig.paper(0.01));
            c.loadInto(net, sgd);
            assertEquals(7, sgd.stepCount());
            assertEquals(0.99, c.optimizer().hyperparameters().get("momentum"));
            for (int k = 0; k < ps.size(); k++) {
                float[] m = sgd.state().tensors().get("momentum_buffer/" + ps.get(k).name()).data().asFloat();
                for (int i = 0; i < m.length; i++) {
                    assertEquals(momentumValue(k, i), m[i], 0f);
                }
            }
        }
    }

    @Test
    void goldenFileLoads() throws Exception {
        checkGoldenContent(resource("golden-v1.zip"), true);
    }

    @Test
    void fileWrittenByTheDocumentedNumpyWriterLoads() throws Exception {
        Path file = resource("numpy-written.zip");
        checkGoldenContent(file, false);
        assertEquals(Map.of("source", "numpy"), Checkpoint.load(file).metadata());
    }
}
