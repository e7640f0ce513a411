package io.github.unet4j.core.bioimageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.infer.ChannelNormalization;
import io.github.unet4j.core.infer.Normalization;
import io.github.unet4j.core.io.Npy;
import io.github.unet4j.core.ops.Softmax;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The package's files: the YAML text, the hashes, the test output and the normalisation in raw units. */
class BioimageioPackageTest {
    private static final BioimageioPackage.Description TEXT = new BioimageioPackage.Description("tiny", "a test",
            List.of("A. Tester"), "MIT", List.of(), List.of("test"), "Trained on nothing.");

    @Test
    void yamlQuotesEveryStringAndNestsListsOfMaps() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("id", "yes");
        inner.put("kwargs", Map.of("v", 0.5));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "a: \"b\"\n\\c");
        root.put("n", 3);
        root.put("list", List.of(inner, "x"));
        root.put("empty", List.of());
        assertEquals("""
                name: "a: \\"b\\"\\n\\\\c"
                n: 3
                list:
                  - id: "yes"
                    kwargs:
                      v: 0.5
                  - "x"
                empty: []
                """, Yaml.write(root));
        assertThrows(IllegalArgumentException.class, () -> Yaml.write(Map.of("bad key", 1)));
        assertThrows(IllegalArgumentException.class, () -> Yaml.write(Map.of("nan", Double.NaN)));
    }

    @Test
    void theTestOutputIsTheNetworksSoftmaxAndTheRdfNamesEveryHash() throws Exception {
        UNetConfig config = new UNetConfig(2, 3, 2, 4, io.github.unet4j.core.Padding.VALID, false, 0, 
                io.github.unet4j.core.Upsampling.TRANSPOSED);
        UNet net = new UNet(config, DataType.FLOAT, 3);
        ChannelNormalization norm = new ChannelNormalization(List.of(new Normalization(0.4, 0.2, 0, 1),
                new Normalization(0.6, 0.1, 0, 1)));
        INDArray raw = Nd4j.rand(DataType.FLOAT, 1, 2, 26, 26).muli(65535);
        Map<String, byte[]> files = BioimageioPackage.files(new BioimageioPackage.Contents(net, norm, 65535, raw,
                TEXT, Map.of()));
        assertEquals(List.of("rdf.yaml", "weights.onnx", "test_input.npy", "test_output.npy", "cover.png",
                "README.md"), new ArrayList<>(files.keySet()));
        String rdf = new String(files.get("rdf.yaml"), StandardCharsets.UTF_8);
        for (String f : List.of("weights.onnx", "test_input.npy", "test_output.npy")) {
            assertTrue(rdf.contains("source: \"" + f + "\"\n      sha256: \"" + BioimageioPackage.sha256(files.get(f))
                    + "\"") || rdf.contains("source: \"" + f + "\"\n    sha256: \""
                    + BioimageioPackage.sha256(files.get(f)) + "\""), f + " in\n" + rdf);
        }
        // (raw / 65535 - 0.4) / 0.2 = (raw - 0.4 * 65535) / (0.2 * 65535), per channel
        assertTrue(rdf.contains("mean:\n            - " + 0.4 * 65535 + "\n            - " + 0.6 * 65535), rdf);
        assertTrue(rdf.contains("axis: \"channel\""), rdf);
        assertTrue(rdf.contains("offset: " + (config.outputSize(26) - 26)), rdf);

        INDArray x = raw.dup();
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .divi(65535).subi(0.4).divi(0.2);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1))
                .divi(65535).subi(0.6).divi(0.1);
        INDArray expected = Softmax.probabilities(net.forward(x, Mode.INFER));
        INDArray stored = Npy.read(files.get("test_output.npy"));
        assertArrayEquals(expected.shape(), stored.shape());
        assertTrue(Transforms.abs(stored.sub(expected), false).maxNumber().doubleValue() < 1e-5);
        assertArrayEquals(raw.dup('c').data().asFloat(), Npy.read(files.get("test_input.npy")).data().asFloat());
        String readme = new String(files.get("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains("Trained on nothing.") && readme.contains("y and x must be 18 + k * 2"), readme);
    }

    @Test
    void anInvalidTestInputOrAMissingAuthorIsRefused() {
        UNet net = new UNet(UNetConfig.paper().withDepth(2).withBaseChannels(2), DataType.FLOAT, 1);
        ChannelNormalization norm = ChannelNormalization.of(new Normalization(0.5, 0.2, 0, 1));
        ShapeException e = assertThrows(ShapeException.class, () -> new BioimageioPackage.Contents(net, norm, 255,
                Nd4j.zeros(DataType.FLOAT, 1, 1, 27, 27), TEXT, Map.of()));
        assertTrue(e.getMessage().contains("nearest valid sizes"), e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () ->
                new BioimageioPackage.Description("n", "d", List.of(), "MIT", List.of(), List.of(), ""));
        assertTrue(a.getMessage().contains("--author"), a.getMessage());
    }
}
