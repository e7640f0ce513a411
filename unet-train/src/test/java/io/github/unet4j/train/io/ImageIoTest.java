package io.github.unet4j.train.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageIoTest {
    @TempDir
    Path dir;

    /** Every value of the depth's range shows up somewhere, including both extremes. */
    private static GrayImage ramp(int w, int h, BitDepth depth, int seed) {
        float[] px = new float[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = switch (depth) {
                case EIGHT -> (i * 37 + seed) % 256;
                case SIXTEEN -> (i * 4099L + seed) % 65536;
                case INT32 -> (i * 1_000_003L + seed) % 16_777_217;
                case FLOAT32 -> (float) Math.sin(i * 0.37 + seed) * 1.5f;
            };
        }
        if (depth != BitDepth.FLOAT32) {
            px[0] = 0;
            px[px.length - 1] = depth.maxValue();
        } else {
            px[0] = Float.MIN_VALUE;
            px[1] = -0.0f;
            px[px.length - 1] = 1e30f;
        }
        return new GrayImage(w, h, px, depth);
    }

    private void roundTrip(BitDepth depth, String name) throws IOException {
        GrayImage img = ramp(7, 5, depth, 3); // odd, non-square: catches x/y mix-ups
        Path p = dir.resolve(name);
        ImageIo.write(img, p);
        GrayImage back = ImageIo.read(p);
        assertEquals(depth, back.depth());
        assertEquals(7, back.width());
        assertEquals(5, back.height());
        // Bit-exact, including -0.0 (Arrays.equals compares float bits).
        assertTrue(Arrays.equals(img.pixels(), back.pixels()), name + " changed pixels");
        assertEquals(img, back);
    }

    @Test
    void eightBitPngRoundTrip() throws IOException {
        roundTrip(BitDepth.EIGHT, "a.png");
    }

    @Test
    void sixteenBitPngRoundTrip() throws IOException {
        roundTrip(BitDepth.SIXTEEN, "a.png");
    }

    @Test
    void eightBitTiffRoundTrip() throws IOException {
        roundTrip(BitDepth.EIGHT, "a.tif");
    }

    @Test
    void sixteenBitTiffRoundTrip() throws IOException {
        roundTrip(BitDepth.SIXTEEN, "a.tiff");
    }

    @Test
    void floatTiffRoundTrip() throws IOException {
        roundTrip(BitDepth.FLOAT32, "prob.tif");
    }

    @Test
    void threePageStackRoundTrip() throws IOException {
        List<GrayImage> pages = List.of(ramp(6, 4, BitDepth.EIGHT, 0), ramp(6, 4, BitDepth.EIGHT, 1),
                ramp(6, 4, BitDepth.EIGHT, 2));
        Path p = dir.resolve("stack.tif");
        ImageIo.writeStack(pages, p);
        List<GrayImage> back = ImageIo.readStack(p);
        assertEquals(pages, back);
        // A single read gives the first page.
        assertEquals(pages.get(0), ImageIo.read(p));
    }

    @Test
    void overwriteReplacesExistingFile() throws IOException {
        Path p = dir.resolve("x.png");
        ImageIo.write(ramp(4, 4, BitDepth.EIGHT, 0), p);
        GrayImage second = ramp(3, 2, BitDepth.SIXTEEN, 5);
        ImageIo.write(second, p);
        assertEquals(second, ImageIo.read(p));
        assertEquals(List.of(p), listAll());
    }

    @Test
    void rgbWithEqualChannelsReadsAsGrayAndColourIsRejected() throws IOException {
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x808080);
        rgb.setRGB(2, 1, 0xffffff);
        Path gray = dir.resolve("gray.png");
        ImageIO.write(rgb, "png", gray.toFile());
        GrayImage g = ImageIo.read(gray);
        assertEquals(BitDepth.EIGHT, g.depth());
        assertEquals(128f, g.get(0, 0));
        assertEquals(255f, g.get(2, 1));
        assertEquals(0f, g.get(1, 0));

        rgb.setRGB(1, 1, 0x102030);
        Path colour = dir.resolve("colour.png");
        ImageIO.write(rgb, "png", colour.toFile());
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageIo.read(colour));
        assertTrue(e.getMessage().contains("colour.png"), e.getMessage());
        assertTrue(e.getMessage().contains("(1, 1)"), e.getMessage());
    }

    @Test
    void rgbReadsAsThreeChannelsInOrder() throws IOException {
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        rgb.setRGB(0, 0, 0x80102030); // half transparent: alpha is not a channel
        rgb.setRGB(2, 1, 0xFFFF0080);
        Path file = dir.resolve("rgba.png");
        ImageIO.write(rgb, "png", file.toFile());
        ImageChannels c = ImageIo.readChannels(file);
        assertEquals(3, c.count());
        assertEquals(0x10, c.channel(0).get(0, 0));
        assertEquals(0x20, c.channel(1).get(0, 0));
        assertEquals(0x30, c.channel(2).get(0, 0));
        assertEquals(255f, c.channel(0).get(2, 1));
        assertEquals(0f, c.channel(1).get(2, 1));
        assertEquals(128f, c.channel(2).get(2, 1));
        assertEquals(null, c.asGray(), "colour is not gray");
        // A gray PNG is one channel; a gray image saved as RGB is three equal ones, which asGray sees.
        Path gray = dir.resolve("gray.png");
        ImageIo.write(ramp(4, 3, BitDepth.SIXTEEN, 1), gray);
        assertEquals(1, ImageIo.readChannels(gray).count());
        BufferedImage equal = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        equal.setRGB(1, 0, 0x777777);
        Path eq = dir.resolve("equal.png");
        ImageIO.write(equal, "png", eq.toFile());
        ImageChannels three = ImageIo.readChannels(eq);
        assertEquals(3, three.count());
        assertEquals(0x77, three.asGray().get(1, 0));
    }

    @Test
    void colourPaletteReadsAsRgbChannelsAndPaletteWritesRoundTrip() throws IOException {
        int[] palette = {0x000000, 0xFF0000, 0x00FF00, 0x0000FF, 0x123456};
        GrayImage ids = GrayImage.ofInts(3, 2, new int[] {0, 1, 2, 3, 4, 1}, BitDepth.EIGHT);
        Path file = dir.resolve("classes.png");
        ImageIo.writeIndexed(ids, palette, file);
        assertArrayEquals(ids.toIntArray(), ImageIo.readLabelIndices(file).toIntArray(), "indices are the ids");
        BufferedImage shown = ImageIO.read(file.toFile());
        assertInstanceOf(java.awt.image.IndexColorModel.class, shown.getColorModel());
        assertEquals(0x123456, shown.getRGB(1, 1) & 0xFFFFFF);
        ImageChannels c = ImageIo.readChannels(file);
        assertEquals(3, c.count());
        assertEquals(0x12, c.channel(0).get(1, 1));
        assertEquals(0x34, c.channel(1).get(1, 1));
        assertEquals(0x56, c.channel(2).get(1, 1));
        // 256 ids take an 8-bit palette; an id without a colour is refused and nothing is written.
        int[] many = new int[256];
        int[] all = new int[256];
        for (int i = 0; i < 256; i++) {
            many[i] = i * 0x010101;
            all[i] = 255 - i;
        }
        Path big = dir.resolve("big.png");
        ImageIo.writeIndexed(GrayImage.ofInts(16, 16, all, BitDepth.EIGHT), many, big);
        assertArrayEquals(all, ImageIo.readLabelIndices(big).toIntArray());
        Path bad = dir.resolve("bad.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageIo.writeIndexed(
                GrayImage.ofInts(2, 1, new int[] {0, 5}, BitDepth.EIGHT), new int[] {0, 1}, bad));
        assertTrue(e.getMessage().contains("id 5.0 has no colour in a palette of 2"), e.getMessage());
        assertFalse(Files.exists(bad));
    }

    @Test
    void thirtyTwoBitIntegerTiffReadsAsALabelOnly() throws IOException {
        int[] ids = {0, 70_000, 70_001, 16_777_216, 1, 0};
        Path file = dir.resolve("ids.tif");
        ImageIo.write(GrayImage.ofInts(3, 2, ids, BitDepth.INT32), file);
        GrayImage label = ImageIo.readLabel(file);
        assertEquals(BitDepth.INT32, label.depth());
        assertArrayEquals(ids, label.toIntArray());
        assertArrayEquals(ids, ImageIo.readLabelIndices(file).toIntArray());
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageIo.read(file));
        assertTrue(e.getMessage().contains("32-bit integer samples are not supported"), e.getMessage());
        assertThrows(ImageFormatException.class, () -> ImageIo.readChannels(file));
        // An id float cannot hold exactly is refused, not rounded.
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_INT);
        BufferedImage big = new BufferedImage(cm, cm.createCompatibleWritableRaster(2, 1), false, null);
        big.getRaster().setSample(1, 0, 0, 16_777_217);
        Path over = dir.resolve("over.tif");
        ImageIO.write(big, "tiff", over.toFile());
        e = assertThrows(ImageFormatException.class, () -> ImageIo.readLabel(over));
        assertTrue(e.getMessage().contains("id 16777217 at pixel (1, 0) is above 16,777,216")
                && e.getMessage().contains("number the objects"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageIo.write(label, dir.resolve("ids.png")));
    }

    @Test
    void tiffPagesAreChannelsOfOneSize() throws IOException {
        GrayImage a = ramp(5, 4, BitDepth.SIXTEEN, 3);
        GrayImage b = ramp(5, 4, BitDepth.EIGHT, 4);
        Path file = dir.resolve("two.tif");
        ImageIo.writeStack(List.of(a, b), file);
        ImageChannels c = ImageIo.readChannels(file);
        assertEquals(List.of(a, b), c.channels(), "each page a channel, each with its own depth");
        assertEquals("2 channels, SIXTEEN/EIGHT", c.describe());
        Path uneven = dir.resolve("uneven.tif");
        ImageIo.writeStack(List.of(a, ramp(4, 4, BitDepth.SIXTEEN, 1)), uneven);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageIo.readChannels(uneven));
        assertOneLineNaming(e, uneven);
        assertTrue(e.getMessage().contains("page 2: is 4x4 but page 1 is 5x4"), e.getMessage());
    }

    @Test
    void binaryPngReadsAs0And255() throws IOException {
        BufferedImage bin = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
        bin.getRaster().setSample(1, 0, 0, 1);
        Path p = dir.resolve("bin.png");
        ImageIO.write(bin, "png", p.toFile());
        assertArrayEquals(new float[] {0f, 255f}, ImageIo.read(p).pixels());
    }

    @Test
    void truncatedPngNamesTheFile() throws IOException {
        Path good = dir.resolve("good.png");
        ImageIo.write(ramp(64, 64, BitDepth.EIGHT, 0), good);
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("truncated.png");
        Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageIo.read(bad));
        assertOneLineNaming(e, bad);
        assertTrue(e.getMessage().contains("corrupt or truncated PNG"), e.getMessage());
    }

    @Test
    void textFileNamedPngIsRejected() throws IOException {
        Path bad = dir.resolve("notes.png");
        Files.writeString(bad, "this is not an image\nsecond line\n", StandardCharsets.UTF_8);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageIo.read(bad));
        assertOneLineNaming(e, bad);
        assertTrue(e.getMessage().contains("not a PNG or TIFF"), e.getMessage());
    }

    @Test
    void missingFileNamesTheFile() {
        Path missing = dir.resolve("nope.tif");
        ImageIoException e = assertThrows(ImageIoException.class, () -> ImageIo.read(missing));
        assertFalse(e instanceof ImageFormatException);
        assertOneLineNaming(e, missing);
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertEquals(missing, e.path());
    }

    @Test
    void writingIntoMissingFolderFailsCleanly() throws IOException {
        Path target = dir.resolve("no-such-folder").resolve("out.png");
        ImageIoException e = assertThrows(ImageIoException.class,
                () -> ImageIo.write(ramp(3, 3, BitDepth.EIGHT, 0), target));
        assertOneLineNaming(e, target);
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals(List.of(), listAll());
    }

    @Test
    void writingIntoReadOnlyFolderFailsAndLeavesNoTempFile() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        assumeTrue(Files.getFileStore(ro).supportsFileAttributeView("posix"), "needs POSIX permissions");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // root ignores permission bits; the test would prove nothing then.
            assumeTrue(!Files.isWritable(ro), "running with rights that bypass permissions");
            Path target = ro.resolve("out.tif");
            ImageIoException e = assertThrows(ImageIoException.class,
                    () -> ImageIo.write(ramp(3, 3, BitDepth.SIXTEEN, 0), target));
            assertOneLineNaming(e, target);
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
            try (Stream<Path> s = Files.list(ro)) {
                assertEquals(0, s.count(), "the read-only folder must stay empty");
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void failureHalfwayThroughWritingLeavesNothing() throws IOException {
        Path target = dir.resolve("half.tif");
        ImageIoException e = assertThrows(ImageIoException.class,
                () -> ImageIo.writeAtomically(target, ImageFormat.TIFF, (writer, out) -> {
                    out.write(new byte[1000]);
                    out.flush();
                    throw new IOException("disk full");
                }));
        assertOneLineNaming(e, target);
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertDoesNotLeaveFiles();

        // An existing file survives a failed overwrite untouched.
        GrayImage old = ramp(3, 3, BitDepth.EIGHT, 1);
        ImageIo.write(old, target);
        assertThrows(ImageIoException.class, () -> ImageIo.writeAtomically(target, ImageFormat.TIFF, (w, out) -> {
            out.write(1);
            throw new IOException("boom");
        }));
        assertEquals(old, ImageIo.read(target));
        assertEquals(List.of(target), listAll());
    }

    @Test
    void writingBelowAFileFails() throws IOException {
        Path file = Files.createFile(dir.resolve("plain"));
        Path target = file.resolve("out.png");
        ImageIoException e = assertThrows(ImageIoException.class,
                () -> ImageIo.write(ramp(3, 3, BitDepth.EIGHT, 0), target));
        assertOneLineNaming(e, target);
        assertEquals(List.of(file), listAll());
    }

    @Test
    void failedEncodingLeavesNoTempFile() {
        // A PNG cannot hold floats: rejected before any file is created.
        Path target = dir.resolve("p.png");
        assertThrows(IllegalArgumentException.class, () -> ImageIo.write(ramp(2, 2, BitDepth.FLOAT32, 0), target));
        assertThrows(IllegalArgumentException.class, () -> ImageIo.write(ramp(2, 2, BitDepth.EIGHT, 0), dir.resolve("p.jpg")));
        assertThrows(IllegalArgumentException.class,
                () -> ImageIo.writeStack(List.of(ramp(2, 2, BitDepth.EIGHT, 0)), dir.resolve("s.png")));
        assertDoesNotLeaveFiles();
    }

    @Test
    void writtenFileIsNotOwnerOnly() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "needs POSIX permissions");
        Path p = dir.resolve("perm.png");
        ImageIo.write(ramp(2, 2, BitDepth.EIGHT, 0), p);
        // Files.createTempFile would have made it rw------- whatever the umask.
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(p));
    }

    @Test
    void listImagesSortsByNameAndSkipsOthers() throws IOException {
        for (String n : List.of("b.tif", "a.png", "c.TIFF", "notes.txt", ".hidden.png", "d.jpg")) {
            Files.createFile(dir.resolve(n));
        }
        Files.createDirectory(dir.resolve("sub.png"));
        assertEquals(List.of(dir.resolve("a.png"), dir.resolve("b.tif"), dir.resolve("c.TIFF")),
                ImageIo.listImages(dir));
        ImageIoException e = assertThrows(ImageIoException.class, () -> ImageIo.listImages(dir.resolve("none")));
        assertOneLineNaming(e, dir.resolve("none"));
    }

    private void assertDoesNotLeaveFiles() {
        try {
            assertEquals(List.of(), listAll());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<Path> listAll() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static void assertOneLineNaming(Exception e, Path file) {
        assertInstanceOf(IOException.class, e);
        String m = e.getMessage();
        assertTrue(m.contains(file.getFileName().toString()), "message does not name the file: " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), "message is not one line: " + m);
    }
}
