package io.github.unet4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.io.ModelFile;
import io.github.unet4j.examples.onnx.OrtModel;
import io.github.unet4j.examples.onnx.PackageCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import onnx.Onnx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code unet export} on a tiny trained model: the ONNX file runs in ONNX Runtime like the
 * checkpoint in unet4j, and the bioimage.io package passes the check, which fails on a changed
 * file, a wrong preprocessing or a missing field.
 */
class ExportCliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    @BeforeAll
    static void train() throws IOException {
        data = CliTest.dataset(dir.resolve("data"), 3, 40);
        Path run = dir.resolve("run");
        CommandRun t = CommandRun.of(CliTest.train(data, run));
        assertEquals(0, t.code(), t.err());
        model = run.resolve("model.zip");
    }

    @Test
    void onnxRunsInOnnxRuntimeLikeTheCheckpoint() throws IOException {
        Path onnx = dir.resolve("tiny.onnx");
        CommandRun r = CommandRun.of("export", "--checkpoint", model.toString(), "--out", onnx.toString(), "--softmax");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("wrote " + onnx), r.err());
        byte[] bytes = Files.readAllBytes(onnx);
        Map<String, String> meta = new LinkedHashMap<>();
        Onnx.ModelProto.parseFrom(bytes).getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
        assertTrue(meta.containsKey("unet4j.checkpoint.normalization.mean"), meta.toString());

        UNet net = ModelFile.read(model).toNetwork(DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 42, 58).subi(0.5).muli(3);
        INDArray logits = net.forward(x, Mode.INFER);
        INDArray expected = io.github.unet4j.core.ops.Softmax.probabilities(logits);
        try (OrtModel ort = new OrtModel(bytes, 1)) {
            INDArray actual = ort.run(x);
            assertArrayEquals(expected.shape(), actual.shape());
            double diff = Transforms.abs(actual.sub(expected), false).maxNumber().doubleValue();
            assertTrue(diff <= 1e-5, "largest difference " + diff);
        }
    }

    @Test
    void predictWithOnnxRuntimeGivesUnet4jsMaps() throws IOException {
        Map<String, float[]> maps = new LinkedHashMap<>();
        for (String engine : new String[] {"unet4j", "onnxruntime"}) {
            Path pred = dir.resolve("pred-" + engine);
            CommandRun r = CommandRun.of("predict", "--checkpoint", model.toString(), "--input",
                    data.resolve("train/image").toString(), "--out", pred.toString(), "--format", "tiff", "--engine",
                    engine, "--tile", "42");
            assertEquals(0, r.code(), r.err());
            maps.put(engine, io.github.unet4j.train.io.ImageIo.read(pred.resolve("probabilities/01.tif")).pixels());
        }
        float[] a = maps.get("unet4j");
        float[] b = maps.get("onnxruntime");
        assertEquals(40 * 40, a.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        assertTrue(max <= 1e-5, "largest difference " + max);
        assertTrue(java.util.stream.IntStream.range(0, a.length).mapToDouble(i -> a[i]).distinct().count() > 100,
                "a map, not a constant");
    }

    @Test
    void predictTakesTheOnnxFileAndThePackageLikeTheCheckpoint() throws IOException {
        Path onnx = dir.resolve("back.onnx");
        assertEquals(0, CommandRun.of("export", "--checkpoint", model.toString(), "--out", onnx.toString()).code());
        Path zip = exportPackage("back.bioimageio.zip");
        Map<String, float[]> maps = new LinkedHashMap<>();
        for (Path source : new Path[] {model, onnx, zip}) {
            Path pred = dir.resolve("from-" + source.getFileName());
            CommandRun r = CommandRun.of("predict", "--checkpoint", source.toString(), "--input",
                    data.resolve("train/image").toString(), "--out", pred.toString(), "--format", "tiff");
            assertEquals(0, r.code(), r.err());
            maps.put(source.getFileName().toString(),
                    io.github.unet4j.train.io.ImageIo.read(pred.resolve("probabilities/00.tif")).pixels());
        }
        // Weights travel as float32, as the checkpoint stores them: the same maps, bit for bit.
        assertArrayEquals(maps.get("model.zip"), maps.get("back.onnx"));
        assertArrayEquals(maps.get("model.zip"), maps.get("back.bioimageio.zip"));
    }

    private Path exportPackage(String fileName) {
        Path zip = dir.resolve(fileName);
        CommandRun r = CommandRun.of("export", "--checkpoint", model.toString(), "--format", "bioimageio", "--out",
                zip.toString(), "--test-image", data.resolve("train/image/00.png").toString(), "--author", "A. Tester",
                "--cite", "Synthetic cells|https://example.org/cells");
        assertEquals(0, r.code(), r.err());
        return zip;
    }

    @Test
    void theBioimageioPackagePassesTheCheck() throws IOException {
        Path zip = exportPackage("tiny.bioimageio.zip");
        PackageCheck.Result result = PackageCheck.check(zip);
        assertEquals(java.util.List.of("weights.onnx", "test_input.npy", "test_output.npy"), result.files());
        assertArrayEquals(new long[] {1, 1, 26, 26}, result.inputShape(), "the training tile");
        assertTrue(result.maxDifference() < 1e-5, "largest difference " + result.maxDifference());
        String rdf = entry(zip, "rdf.yaml");
        assertTrue(rdf.contains("doi: \"10.1007/978-3-319-24574-4_28\""), rdf);
        assertTrue(rdf.contains("fixed_zero_mean_unit_variance"), rdf);

        CommandRun r = CommandRun.of("check-package", zip.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("passed"), r.out());
    }

    @Test
    void theCheckFailsOnAChangedFileAWrongPreprocessingAndAMissingField() throws IOException {
        Path zip = exportPackage("tampered.bioimageio.zip");
        Path changed = rewrite(zip, "changed.zip", "test_output.npy", s -> s, b -> {
            b[b.length - 1] ^= 1;
            return b;
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackageCheck.check(changed));
        assertTrue(e.getMessage().contains("test_output.npy has sha256"), e.getMessage());

        // Another mean: every hash still matches, only running the package can tell.
        Path wrongMean = rewrite(zip, "mean.zip", "rdf.yaml", s -> s.replaceFirst("mean: ([0-9.]+)", "mean: 1$1"),
                b -> b);
        e = assertThrows(IllegalArgumentException.class, () -> PackageCheck.check(wrongMean));
        assertTrue(e.getMessage().contains("differ from the test output"), e.getMessage());

        Path noLicense = rewrite(zip, "license.zip", "rdf.yaml", s -> s.replaceFirst("(?m)^license:.*\\n", ""),
                b -> b);
        e = assertThrows(IllegalArgumentException.class, () -> PackageCheck.check(noLicense));
        assertTrue(e.getMessage().contains("license is missing"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void bioimageioNeedsATestImageAndAnAuthor() {
        CommandRun.assertUsageError("--test-image", "export", "--checkpoint", model.toString(), "--format",
                "bioimageio", "--out", dir.resolve("x.zip").toString(), "--author", "A");
        CommandRun.assertUsageError("--author", "export", "--checkpoint", model.toString(), "--format", "bioimageio",
                "--out", dir.resolve("x.zip").toString(), "--test-image", data.resolve("train/image/00.png").toString());
        assertFalse(Files.exists(dir.resolve("x.zip")));
        CommandRun.assertUsageError("missing.zip", "check-package", dir.resolve("missing.zip").toString());
    }

    private static String entry(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile()); InputStream in = z.getInputStream(z.getEntry(name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A copy of the package with one entry changed (as text or as bytes). */
    private static Path rewrite(Path zip, String copyName, String entry, UnaryOperator<String> text,
            UnaryOperator<byte[]> bytes) throws IOException {
        Path copy = dir.resolve(copyName);
        try (ZipFile z = new ZipFile(zip.toFile()); OutputStream os = Files.newOutputStream(copy);
                ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                byte[] b;
                try (InputStream in = z.getInputStream(e)) {
                    b = in.readAllBytes();
                }
                if (e.getName().equals(entry)) {
                    String before = new String(b, StandardCharsets.UTF_8);
                    b = entry.endsWith(".yaml") ? text.apply(before).getBytes(StandardCharsets.UTF_8) : bytes.apply(b);
                    assertFalse(java.util.Arrays.equals(b, before.getBytes(StandardCharsets.UTF_8))
                            && entry.endsWith(".yaml"), "the rewrite changed nothing");
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        return copy;
    }
}
