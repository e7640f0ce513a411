package io.github.unet4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Damaged checkpoints are refused, naming the entry: a flipped bit in a STORED member (which
 * Java's ZipFile does not notice by itself), a member cut short, NaN or infinite weights.
 */
class CheckpointArchiveTest {

    private static final String MEMBER = "params/inc.conv1.weight.npy";

    @TempDir
    Path dir;

    private static Path golden() throws Exception {
        return Paths.get(CheckpointArchiveTest.class.getResource("/io/github/unet4j/core/infer/golden-v1.zip").toURI());
    }

    @Test
    void intactGoldenFileReads() throws Exception {
        CheckpointArchive.Contents c = CheckpointArchive.read(golden());
        assertTrue(c.parameters().containsKey("inc.conv1.weight"), c.parameters().keySet().toString());
    }

    @Test
    void aFlippedBitInAParameterIsRefused() throws Exception {
        byte[] zip = Files.readAllBytes(golden());
        int end = storedDataOffset(zip, MEMBER) + 200; // the member is 200 bytes (unzip -l)
        zip[end - 6] ^= 0x04; // in the last weight, past the .npy header
        Path bad = dir.resolve("flipped.zip");
        Files.write(bad, zip);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFile.read(bad));
        assertTrue(e.getMessage().startsWith("checkpoint " + bad + ": entry " + MEMBER + " is damaged: its CRC-32 is "),
                e.getMessage());
        assertTrue(e.getMessage().contains("use an intact copy or an earlier checkpoint"), e.getMessage());
    }

    @Test
    void nanAndInfiniteWeightsAreRefusedNamingTheTensor() throws Exception {
        for (float poison : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Path bad = rewrite("poisoned.zip", MEMBER, npy -> {
                try {
                    INDArray w = Npy.read(npy);
                    w.putScalar(new long[] {0, 0, 1, 1}, poison);
                    w.putScalar(new long[] {1, 0, 0, 0}, poison);
                    return Npy.write(w);
                } catch (Npy.FormatException ex) {
                    throw new AssertionError(ex);
                }
            });
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFile.read(bad));
            assertTrue(e.getMessage().contains("tensor " + MEMBER + " has 2 non-finite values (NaN or infinity)"),
                    e.getMessage());
        }
    }

    @Test
    void aShortMemberIsRefused() throws Exception {
        Path bad = rewrite("short.zip", MEMBER, npy -> java.util.Arrays.copyOf(npy, npy.length - 4));
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFile.read(bad));
        assertTrue(e.getMessage().contains("entry " + MEMBER + ": shape"), e.getMessage());
        assertTrue(e.getMessage().contains("(truncated)"), e.getMessage());
    }

    @Test
    void nonFiniteCountsOnlyFloatingPointValues() {
        assertEquals(0, CheckpointArchive.nonFinite(Nd4j.createFromArray(1f, 2f, Float.MAX_VALUE)));
        assertEquals(3, CheckpointArchive.nonFinite(Nd4j.createFromArray(Double.NaN, 0, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY)));
        assertEquals(0, CheckpointArchive.nonFinite(Nd4j.createFromArray(1, 2, 3)));
        assertEquals(0, CheckpointArchive.nonFinite(Nd4j.create(DataType.FLOAT, 0)));
    }

    /** @return the golden file with one member's bytes replaced (the new zip's CRC is right) */
    private Path rewrite(String name, String member, UnaryOperator<byte[]> change) throws Exception {
        Path out = dir.resolve(name);
        try (ZipFile in = new ZipFile(golden().toFile());
                ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements();) {
                ZipEntry e = en.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(e.getName().equals(member) ? change.apply(bytes) : bytes);
                z.closeEntry();
            }
        }
        return out;
    }

    /** @return where a STORED member's data starts in the zip's bytes (after its local header) */
    private static int storedDataOffset(byte[] zip, String member) {
        byte[] name = member.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 30; i < zip.length - name.length; i++) {
            for (int j = 0; j < name.length; j++) {
                if (zip[i + j] != name[j]) {
                    continue outer;
                }
            }
            int h = i - 30; // the local header's signature PK\3\4
            assertEquals(0x04034b50, le32(zip, h), "the first occurrence of the name is its local header");
            assertEquals(ZipEntry.STORED, le16(zip, h + 8), "checkpoint members are STORED");
            return i + name.length + le16(zip, i - 2);
        }
        throw new AssertionError(member + " not in the zip");
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static int le32(byte[] b, int i) {
        return le16(b, i) | le16(b, i + 2) << 16;
    }
}
