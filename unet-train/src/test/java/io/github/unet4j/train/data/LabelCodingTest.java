package io.github.unet4j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.io.ImageIoException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Label codings: known answers, and a one-line error with the fix for each common mistake. */
class LabelCodingTest {
    private static final Path P = Path.of("lab.png");

    private static GrayImage img(int w, int h, int... v) {
        return GrayImage.ofInts(w, h, v, v.length > 0 && java.util.Arrays.stream(v).max().getAsInt() > 255
                ? BitDepth.SIXTEEN : BitDepth.EIGHT);
    }

    @Test
    void binaryClassesAndInstancesDecode() throws Exception {
        LabelCoding.Decoded b = LabelCoding.BINARY.decode(img(2, 2, 0, 255, 255, 0), P, 2, -1);
        assertArrayEquals(new int[] {0, 1, 1, 0}, b.classes());
        assertNull(b.instances());
        LabelCoding.Decoded c = LabelCoding.CLASSES.decode(img(2, 2, 0, 2, 1, 2), P, 3, -1);
        assertArrayEquals(new int[] {0, 2, 1, 2}, c.classes());
        // Two objects side by side in a 4x1 row: 1 1 2 2 -> the touching pixels become background.
        LabelCoding.Decoded i = LabelCoding.INSTANCES.decode(img(5, 1, 1, 1, 2, 2, 0), P, 2, -1);
        assertArrayEquals(new int[] {1, 0, 0, 2, 0}, i.instances());
        assertArrayEquals(new int[] {1, 0, 0, 1, 0}, i.classes());
    }

    @Test
    void ignoredPixelsAreMarkedAndTakeClassZero() throws Exception {
        LabelCoding.Decoded c = LabelCoding.CLASSES.decode(img(2, 2, 0, 9, 1, 2), P, 3, 9);
        assertArrayEquals(new int[] {0, 0, 1, 2}, c.classes());
        assertArrayEquals(new boolean[] {false, true, false, false}, c.ignored());
    }

    @Test
    void commonMistakesSayWhatToPass() {
        ImageIoException e = assertThrows(ImageIoException.class,
                () -> LabelCoding.BINARY.decode(img(4, 1, 0, 1, 2, 3), P, 2, -1));
        assertTrue(e.getMessage().contains("label has 4 values (0, 1, 2, 3)")
                && e.getMessage().contains("pass --labels instances"), e.getMessage());
        e = assertThrows(ImageIoException.class, () -> LabelCoding.BINARY.decode(img(3, 1, 0, 1, 2), P, 2, -1));
        assertTrue(e.getMessage().contains("--labels classes --classes 3"), e.getMessage());
        e = assertThrows(ImageIoException.class, () -> LabelCoding.CLASSES.decode(img(2, 1, 0, 255), P, 2, -1));
        assertTrue(e.getMessage().contains("values 0 and 255 make a binary mask, not class ids: pass --labels binary"),
                e.getMessage());
        e = assertThrows(ImageIoException.class, () -> LabelCoding.CLASSES.decode(img(3, 1, 0, 1, 4), P, 3, -1));
        assertTrue(e.getMessage().contains("label value 4 at (x=2, y=0) is not a class id 0..2 (--classes 3); pass "
                + "--classes 5"), e.getMessage());
        e = assertThrows(ImageIoException.class, () -> LabelCoding.CLASSES.decode(new GrayImage(1, 1,
                new float[] {0.5f}, BitDepth.FLOAT32), P, 3, -1));
        assertTrue(e.getMessage().contains("float image"), e.getMessage());
    }

    @Test
    void imagesAndLabelsPairByNameWithoutExtensionOrWithMask(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("image"));
        Path labels = Files.createDirectories(dir.resolve("label"));
        ImageIo.write(img(2, 2, 1, 2, 3, 4), images.resolve("cell_001.tif"));
        ImageIo.write(img(2, 2, 5, 6, 7, 8), images.resolve("cell_002.png"));
        ImageIo.write(img(2, 2, 0, 1, 2, 2), labels.resolve("cell_001.png"));
        ImageIo.write(img(2, 2, 0, 0, 1, 1), labels.resolve("cell_002_mask.png"));
        LabelledImages l = LabelledImages.read(images, labels, LabelCoding.CLASSES, 3, -1);
        assertEquals(java.util.List.of("cell_001.tif", "cell_002.png"), l.names());
        assertArrayEquals(new int[] {0, 0, 1, 1}, l.labels().get(1));
        assertArrayEquals(new long[] {3, 3, 2}, l.classHistogram());
        assertEquals(2, l.largestClass());
        Files.delete(labels.resolve("cell_002_mask.png"));
        ImageIoException e = assertThrows(ImageIoException.class,
                () -> LabelledImages.read(images, labels, LabelCoding.CLASSES, 3, -1));
        assertTrue(e.getMessage().contains("cell_002.png: no label for this image"), e.getMessage());
        ImageIo.write(img(2, 2, 0, 0, 1, 1), labels.resolve("cell_002.png"));
        ImageIo.write(img(2, 2, 0, 0, 1, 1), labels.resolve("cell_002_label.png"));
        e = assertThrows(ImageIoException.class, () -> LabelledImages.read(images, labels, LabelCoding.CLASSES, 3,
                -1));
        assertTrue(e.getMessage().contains("has two labels"), e.getMessage());
    }

    @Test
    void aPaletteLabelGivesItsIndicesAsClassIdsAndIsRefusedAsBinary(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("image"));
        Path labels = Files.createDirectories(dir.resolve("label"));
        ImageIo.write(img(3, 1, 10, 20, 30), images.resolve("a.png"));
        // Palette: 0 black, 1 red, 2 green; pixels 2, 0, 1.
        java.awt.image.IndexColorModel cm = new java.awt.image.IndexColorModel(8, 3, new byte[] {0, (byte) 255, 0},
                new byte[] {0, 0, (byte) 255}, new byte[] {0, 0, 0});
        java.awt.image.BufferedImage b = new java.awt.image.BufferedImage(3, 1,
                java.awt.image.BufferedImage.TYPE_BYTE_INDEXED, cm);
        b.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {2, 0, 1});
        javax.imageio.ImageIO.write(b, "png", labels.resolve("a_mask.png").toFile());
        LabelledImages l = LabelledImages.read(images, labels, LabelCoding.CLASSES, 3, -1);
        assertArrayEquals(new int[] {2, 0, 1}, l.labels().get(0));
        ImageIoException e = assertThrows(ImageIoException.class, () -> LabelledImages.read(images, labels));
        assertTrue(e.getMessage().contains("palette colour image") && e.getMessage().contains("--labels classes"),
                e.getMessage());
    }
}
