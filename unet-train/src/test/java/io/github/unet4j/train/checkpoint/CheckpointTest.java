package io.github.unet4j.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.io.CheckpointException;
import io.github.unet4j.core.io.Npy;
import io.github.unet4j.train.optim.Adam;
import io.github.unet4j.train.optim.AdamConfig;
import io.github.unet4j.train.optim.Optimizer;
import io.github.unet4j.train.optim.OptimizerState;
import io.github.unet4j.train.optim.Sgd;
import io.github.unet4j.train.optim.SgdConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {

    private static final UNetConfig TINY = UNetConfig.paper().withDepth(3).withBaseChannels(2).withDropout(0);

    @TempDir
    Path dir;

    private static void randomGrads(List<Parameter> ps, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Parameter p : ps) {
            p.zeroGrad();
            p.grad().assign(Nd4j.randn(p.value().dataType(), p.shape()));
        }
    }

    private static void assertBitEqual(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertEquals(expected.dataType(), actual.dataType(), what);
        if (expected.dataType() == DataType.DOUBLE) {
            assertArrayEquals(expected.data().asDouble(), actual.data().asDouble(), what);
        } else {
            assertArrayEquals(expected.data().asFloat(), actual.data().asFloat(), what);
        }
    }

    private static void assertSameNetwork(UNet a, UNet b) {
        for (int i = 0; i < a.parameters().size(); i++) {
            assertBitEqual(a.parameters().get(i).value(), b.parameters().get(i).value(), a.parameters().get(i).name());
        }
        for (int i = 0; i < a.buffers().size(); i++) {
            assertBitEqual(a.buffers().get(i).value(), b.buffers().get(i).value(), a.buffers().get(i).name());
        }
    }

    @Test
    void roundTripIsBitExactWithAdamState() throws IOException {
        UNet net = new UNet(TINY, DataType.FLOAT, 1);
        Adam adam = new Adam(net.parameters(), AdamConfig.defaults());
        randomGrads(net.parameters(), 5);
        adam.step();
        Path file = dir.resolve("a.zip");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("seed", "1");
        meta.put("library", "unet4j test");
        Checkpoint.save(file, net, adam, 17, meta);

        Checkpoint c = Checkpoint.load(file);
        assertEquals(TINY, c.config());
        assertEquals(17, c.step());
        assertEquals(meta, c.metadata());
        assertEquals(Checkpoint.FORMAT_VERSION, c.formatVersion());
        assertEquals(net.parameters().stream().map(Parameter::name).toList(), List.copyOf(c.parameters().keySet()));
        assertTrue(c.buffers().isEmpty());
        assertEquals("adam", c.optimizer().kind());
        assertEquals(1, c.optimizer().step());
        assertEquals(1e-3, c.optimizer().hyperparameters().get("lr"));

        UNet other = new UNet(TINY, DataType.FLOAT, 99);
        Adam otherAdam = new Adam(other.parameters(), AdamConfig.defaults());
        c.loadInto(other, otherAdam);
        assertSameNetwork(net, other);
        assertEquals(1, otherAdam.stepCount());
        OptimizerState s1 = adam.state();
        OptimizerState s2 = otherAdam.state();
        s1.tensors().forEach((k, v) -> assertBitEqual(v, s2.tensors().get(k), k));

        // Resumed training continues identically.
        randomGrads(net.parameters(), 6);
        randomGrads(other.parameters(), 6);
        adam.step();
        otherAdam.step();
        assertSameNetwork(net, other);
    }

    @Test
    void roundTripWithBatchNormBuffersAndSgdMomentum() throws IOException {
        UNetConfig cfg = TINY.withBatchNorm(true);
        UNet net = new UNet(cfg, DataType.FLOAT, 2);
        Nd4j.getRandom().setSeed(3);
        for (Buffer b : net.buffers()) {
            b.value().assign(Nd4j.rand(DataType.FLOAT, b.value().shape()));
        }
        Sgd sgd = new Sgd(net.parameters(), SgdConfig.paper(0.01));
        randomGrads(net.parameters(), 4);
        sgd.step();
        Path file = dir.resolve("bn.zip");
        Checkpoint.save(file, net, sgd, 1, null);

        Checkpoint c = Checkpoint.load(file);
        assertTrue(c.parameters().containsKey("inc.bn1.weight"));
        assertTrue(c.parameters().containsKey("down1.conv.bn2.bias"));
        assertFalse(c.parameters().containsKey("inc.conv1.bias"), "no conv bias before batch norm");
        assertFalse(c.parameters().containsKey("up1.up.bias"), "no up-conv bias with batch norm");
        assertTrue(c.parameters().containsKey("outc.conv.bias"));
        assertEquals(net.buffers().stream().map(Buffer::name).toList(), List.copyOf(c.buffers().keySet()));
        assertTrue(c.buffers().containsKey("up2.conv.bn1.running_var"));
        assertTrue(c.metadata().isEmpty());

        UNet other = new UNet(cfg, DataType.FLOAT, 77);
        Sgd otherSgd = new Sgd(other.parameters(), SgdConfig.paper(0.01));
        c.loadInto(other, otherSgd);
        assertSameNetwork(net, other);
        sgd.state().tensors().forEach((k, v) -> assertBitEqual(v, otherSgd.state().tensors().get(k), k));

        // Saving what was loaded gives the same bytes (fixed entry times, fixed order).
        Path again = dir.resolve("again.zip");
        Checkpoint.save(again, other, otherSgd, 1, null);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }

    @Test
    void doubleNetworkRoundTripAndToNetwork() throws IOException {
        UNet net = new UNet(TINY, DataType.DOUBLE, 3);
        Path file = dir.resolve("d.zip");
        Checkpoint.save(file, net, null, 0, Map.of());
        Checkpoint c = Checkpoint.load(file);
        assertNull(c.optimizer());
        assertEquals(DataType.DOUBLE, c.parameters().get("inc.conv1.weight").dataType());
        assertSameNetwork(net, c.toNetwork(DataType.DOUBLE));
    }

    @Test
    void differentConfigurationNamesTheFirstMismatchingParameterAndBothShapes() throws IOException {
        Path file = dir.resolve("x.zip");
        Checkpoint.save(file, new UNet(TINY, DataType.FLOAT, 1), null, 0, null);
        Checkpoint c = Checkpoint.load(file);
        UNet wider = new UNet(TINY.withBaseChannels(4), DataType.FLOAT, 1);
        INDArray before = wider.parameters().get(0).value().dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.loadInto(wider, null));
        assertEquals("checkpoint " + file + ": parameter inc.conv1.weight has shape [2, 1, 3, 3] but the network"
                + " expects [4, 1, 3, 3]", e.getMessage());
        assertEquals(before, wider.parameters().get(0).value(), "nothing changed");

        IllegalArgumentException deeper = assertThrows(IllegalArgumentException.class,
                () -> c.loadInto(new UNet(TINY.withDepth(4), DataType.FLOAT, 1), null));
        assertEquals("checkpoint " + file + ": parameter down3.conv.conv1.weight is missing (the network expects"
                + " shape [16, 8, 3, 3])", deeper.getMessage());

        IllegalArgumentException bn = assertThrows(IllegalArgumentException.class,
                () -> c.loadInto(new UNet(TINY.withBatchNorm(true), DataType.FLOAT, 1), null));
        assertEquals("checkpoint " + file + ": parameter inc.bn1.weight is missing (the network expects shape [2])",
                bn.getMessage());

        IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class,
                () -> c.loadInto(new UNet(TINY.withDropout(0.5), DataType.FLOAT, 1), null));
        assertEquals("checkpoint " + file + ": configuration differs from the network's: dropout 0.0 in the file,"
                + " 0.5 in the network", dropout.getMessage());

        UNet same = new UNet(TINY, DataType.FLOAT, 1);
        IllegalArgumentException noOpt = assertThrows(IllegalArgumentException.class,
                () -> c.loadInto(same, new Sgd(same.parameters(), SgdConfig.of(0.1))));
        assertEquals("checkpoint " + file + ": has no optimizer state to load", noOpt.getMessage());
    }

    @Test
    void optimizerOfAnotherKindIsRejectedBeforeAnythingChanges() throws IOException {
        UNet net = new UNet(TINY, DataType.FLOAT, 1);
        Path file = dir.resolve("o.zip");
        Checkpoint.save(file, net, new Sgd(net.parameters(), SgdConfig.paper(0.1)), 0, null);
        UNet other = new UNet(TINY, DataType.FLOAT, 2);
        INDArray before = other.parameters().get(0).value().dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file).loadInto(other, new Adam(other.parameters(), AdamConfig.defaults())));
        assertEquals("checkpoint " + file + ": optimizer state does not fit: Adam: cannot load the state of a 'sgd'"
                + " optimiser into a 'adam' optimiser", e.getMessage());
        assertEquals(before, other.parameters().get(0).value());
    }

    @Test
    void notAZipTruncatedOrMissingFilesGiveClearErrors() throws IOException {
        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "this is not a checkpoint\n");
        CheckpointException e1 = assertThrows(CheckpointException.class, () -> Checkpoint.load(text));
        assertTrue(e1.getMessage().startsWith("checkpoint " + text + ": not a zip file, or a damaged or truncated one"),
                e1.getMessage());
        assertFalse(e1.getMessage().contains("\n"));
        assertEquals(text, e1.path());

        Path good = dir.resolve("good.zip");
        Checkpoint.save(good, new UNet(TINY, DataType.FLOAT, 1), null, 0, null);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointException e2 = assertThrows(CheckpointException.class, () -> Checkpoint.load(truncated));
        assertTrue(e2.getMessage().startsWith("checkpoint " + truncated + ": not a zip file, or a damaged or"
                + " truncated one"), e2.getMessage());

        Path missing = dir.resolve("missing.zip");
        CheckpointException e3 = assertThrows(CheckpointException.class, () -> Checkpoint.load(missing));
        assertEquals("checkpoint " + missing + ": no such file", e3.getMessage());

        Path emptyZip = dir.resolve("empty.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(emptyZip))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        CheckpointException e4 = assertThrows(CheckpointException.class, () -> Checkpoint.load(emptyZip));
        assertEquals("checkpoint " + emptyZip + ": no config.json entry (not a unet4j checkpoint?)", e4.getMessage());
    }

    @Test
    void damagedMembersAreNamed() throws IOException {
        Path good = dir.resolve("good.zip");
        Checkpoint.save(good, new UNet(TINY, DataType.FLOAT, 1), null, 0, null);
        Path bad = dir.resolve("bad.zip");
        try (ZipFile in = new ZipFile(good.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bad))) {
            for (ZipEntry e : in.stream().toList()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("params/inc.conv1.bias.npy")) {
                    b = Arrays.copyOf(b, b.length - 3);
                }
                if (e.getName().equals("config.json")) {
                    b = new String(b, StandardCharsets.UTF_8).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2")
                            .getBytes(StandardCharsets.UTF_8);
                }
                out.write(b);
                out.closeEntry();
            }
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(bad));
        assertEquals("checkpoint " + bad + ": config.json: format version 2 is not supported (this library reads 1"
                + " to 1)", e.getMessage());

        Path bad2 = dir.resolve("bad2.zip");
        try (ZipFile in = new ZipFile(good.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bad2))) {
            for (ZipEntry e2 : in.stream().toList()) {
                out.putNextEntry(new ZipEntry(e2.getName()));
                byte[] b = in.getInputStream(e2).readAllBytes();
                out.write(e2.getName().equals("params/inc.conv1.bias.npy") ? Arrays.copyOf(b, b.length - 3) : b);
                out.closeEntry();
            }
        }
        CheckpointException t = assertThrows(CheckpointException.class, () -> Checkpoint.load(bad2));
        assertEquals("checkpoint " + bad2 + ": entry params/inc.conv1.bias.npy: shape [2] needs 8 data bytes but"
                + " there are 5 (truncated)", t.getMessage());
    }

    @Test
    void saveIntoAMissingFolderFailsAndLeavesNothing() throws IOException {
        Path file = dir.resolve("no-such-folder").resolve("c.zip");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Checkpoint.save(file, new UNet(TINY, DataType.FLOAT, 1), null, 0, null));
        assertEquals("checkpoint " + file + ": cannot write: folder " + file.getParent() + " does not exist",
                e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList());
        }
        Path aFile = Files.writeString(dir.resolve("plain.txt"), "x");
        Path under = aFile.resolve("c.zip");
        CheckpointException e2 = assertThrows(CheckpointException.class,
                () -> Checkpoint.save(under, new UNet(TINY, DataType.FLOAT, 1), null, 0, null));
        assertEquals("checkpoint " + under + ": cannot write: " + aFile + " is a file, not a folder", e2.getMessage());
    }

    @Test
    void saveIntoAReadOnlyFolderFailsWithOneLine() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        assumeTrue(ro.toFile().setWritable(false, false), "cannot make a folder read-only here");
        try {
            assumeFalse(Files.isWritable(ro), "running with rights that ignore folder permissions (root)");
            Path file = ro.resolve("c.zip");
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> Checkpoint.save(file, new UNet(TINY, DataType.FLOAT, 1), null, 0, null));
            assertEquals("checkpoint " + file + ": cannot write: folder " + ro + " is not writable (permission denied)",
                    e.getMessage());
        } finally {
            ro.toFile().setWritable(true, false);
        }
    }

    @Test
    void failureWhileWritingDeletesTheTemporaryFileAndKeepsTheOldCheckpoint() throws IOException {
        UNet net = new UNet(TINY, DataType.FLOAT, 1);
        Path file = dir.resolve("c.zip");
        Checkpoint.save(file, net, null, 3, null);
        byte[] before = Files.readAllBytes(file);
        Optimizer broken = new FailingOptimizer(net.parameters());
        assertThrows(IllegalStateException.class, () -> Checkpoint.save(file, net, broken, 4, null));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
    }

    /** An optimiser whose state export fails half-way through a save. */
    private static final class FailingOptimizer implements Optimizer {
        private final List<Parameter> ps;

        FailingOptimizer(List<Parameter> ps) {
            this.ps = ps;
        }

        @Override
        public String kind() {
            return "failing";
        }

        @Override
        public List<Parameter> parameters() {
            return ps;
        }

        @Override
        public void step() {
        }

        @Override
        public long stepCount() {
            return 0;
        }

        @Override
        public double baseLearningRate() {
            return 1;
        }

        @Override
        public double learningRate() {
            return 1;
        }

        @Override
        public OptimizerState state() {
            throw new IllegalStateException("state export failed");
        }

        @Override
        public void checkState(OptimizerState state) {
        }

        @Override
        public void loadState(OptimizerState state) {
        }
    }

    @Test
    void membersAreStandardNpyThatNd4jReads() throws IOException {
        UNet net = new UNet(TINY.withBatchNorm(true), DataType.FLOAT, 1);
        Path file = dir.resolve("n.zip");
        Checkpoint.save(file, net, null, 0, null);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Parameter p : net.parameters()) {
                ZipEntry e = zip.getEntry("params/" + p.name() + ".npy");
                assertNotNull(e, p.name());
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                assertBitEqual(p.value(), Nd4j.createNpyFromByteArray(bytes), p.name() + " via createNpyFromByteArray");
                Path npy = dir.resolve(p.name() + ".npy");
                Files.write(npy, bytes);
                assertBitEqual(p.value(), Nd4j.createFromNpyFile(npy.toFile()), p.name() + " via createFromNpyFile");
            }
            byte[] rm = zip.getInputStream(zip.getEntry("buffers/inc.bn1.running_var.npy")).readAllBytes();
            assertBitEqual(net.buffers().get(1).value(), Nd4j.createNpyFromByteArray(rm), "running_var");
        }
    }

    @Test
    void npyWrittenByNd4jIsRead() throws Exception {
        Nd4j.getRandom().setSeed(11);
        INDArray a = Nd4j.randn(DataType.FLOAT, 3, 2, 4);
        Path f = dir.resolve("a.npy");
        Nd4j.writeAsNumpy(a, f.toFile());
        assertBitEqual(a, Npy.read(Files.readAllBytes(f)), "float32");
        INDArray d = Nd4j.randn(DataType.DOUBLE, 5);
        Path g = dir.resolve("d.npy");
        Nd4j.writeAsNumpy(d, g.toFile());
        assertBitEqual(d, Npy.read(Files.readAllBytes(g)), "float64");
    }

    @Test
    void npyFortranOrderBigEndianAndIntegers() throws Exception {
        // [[1, 2, 3], [4, 5, 6]] stored in Fortran order as 1 4 2 5 3 6, big-endian int32.
        String header = "{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        String padded = header + " ".repeat(128 - 10 - header.length() - 1) + "\n";
        out.write(padded.length() & 0xFF);
        out.write(padded.length() >> 8);
        out.write(padded.getBytes(StandardCharsets.US_ASCII));
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(24);
        for (int v : new int[] {1, 4, 2, 5, 3, 6}) {
            data.putInt(v);
        }
        out.write(data.array());
        INDArray r = Npy.read(out.toByteArray());
        assertEquals(DataType.INT32, r.dataType());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, r.data().asInt());
        assertArrayEquals(new long[] {2, 3}, r.shape());

        INDArray longs = Nd4j.createFromArray(new long[] {-1, Long.MAX_VALUE});
        assertArrayEquals(longs.data().asLong(), Npy.read(Npy.write(longs)).data().asLong());
        Npy.FormatException bad = assertThrows(Npy.FormatException.class,
                () -> Npy.read("not npy".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("not a .npy (no \\x93NUMPY magic)", bad.getMessage());
        // The header is padded so the data starts at a multiple of 64 bytes.
        byte[] w = Npy.write(Nd4j.zeros(DataType.FLOAT, 2, 3));
        assertEquals(0, (w.length - 24) % 64);
    }
}
