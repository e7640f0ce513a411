package io.github.unet4j.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.io.ImageIoException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What trains but probably not as meant is reported, one line per case. */
class LabelledImagesTest {

    private static LabelledImages of(int w, int h, int[] classes) {
        return LabelledImages.ofGray(List.of("a.png"), List.of(GrayImage.ofInts(w, h, new int[w * h], BitDepth.EIGHT)),
                List.of(classes));
    }

    @Test
    void oneClassLabelsAndTinyImagesAreWarnedAbout() {
        int[] mixed = new int[100];
        mixed[7] = 1;
        assertEquals(List.of(), of(10, 10, mixed).warnings());
        List<String> none = of(10, 10, new int[100]).warnings();
        assertEquals(1, none.size(), none.toString());
        assertTrue(none.get(0).startsWith("label a.png is all membrane (0)"), none.toString());
        int[] ones = new int[100];
        java.util.Arrays.fill(ones, 1);
        assertTrue(of(10, 10, ones).warnings().get(0).startsWith("label a.png is all cell"));
        List<String> tiny = of(1, 1, new int[] {1}).warnings();
        assertEquals(2, tiny.size(), tiny.toString());
        assertEquals("image a.png is only 1x1 pixels", tiny.get(1));
    }

    @Test
    void rgbImagesGiveThreeChannelSamplesEachNormalisedByItself(@TempDir Path dir) throws Exception {
        Path img = Files.createDirectories(dir.resolve("image"));
        Path lab = Files.createDirectories(dir.resolve("label"));
        for (int k = 0; k < 2; k++) {
            java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(4, 4,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            int[] label = new int[16];
            for (int i = 0; i < 16; i++) {
                // red: 0 or 255 by column; green: constant 100 + k; blue: 10 * i
                rgb.setRGB(i % 4, i / 4, (i % 2 == 0 ? 0 : 255) << 16 | (100 + k) << 8 | 10 * i);
                label[i] = i % 2 == 0 ? 0 : 255;
            }
            javax.imageio.ImageIO.write(rgb, "png", img.resolve("c" + k + ".png").toFile());
            ImageIo.write(GrayImage.ofInts(4, 4, label, BitDepth.EIGHT), lab.resolve("c" + k + "_mask.png"));
        }
        LabelledImages set = LabelledImages.read(img, lab);
        assertEquals(3, set.channels());
        io.github.unet4j.core.infer.ChannelNormalization norm = set.normalization();
        assertEquals(0.5, norm.channels().get(0).mean(), 1e-9);
        assertEquals(100.5 / 255, norm.channels().get(1).mean(), 1e-9);
        Sample s = set.samples(norm, null).get(0);
        assertEquals(3, s.channelCount());
        assertEquals(-1f, s.channels()[0][0], 1e-6f, "red 0 is one std below its mean 0.5");
        assertEquals(1f, s.channels()[0][1], 1e-6f);
        assertEquals(-1f, s.channels()[1][0], 1e-4f, "green 100 of 100/101 is one std below");
        // Asked for one channel, colour images are refused by name with the fix.
        ImageIoException e = assertThrows(ImageIoException.class, () -> LabelledImages.read(img, lab,
                LabelCoding.BINARY, 2, -1, 1));
        assertTrue(e.getMessage().contains("c0.png") && e.getMessage().contains("has 3 channels but the network "
                + "takes 1") && e.getMessage().contains("--in-channels 3"), e.getMessage());
    }

    @Test
    void ignoredPixelsGetWeightZeroAndTheRestTheirWeightMap(@TempDir Path dir) throws Exception {
        Path img = Files.createDirectories(dir.resolve("image"));
        Path lab = Files.createDirectories(dir.resolve("label"));
        int w = 12;
        int[] label = new int[w * w];
        for (int i = 0; i < label.length; i++) {
            int x = i % w;
            label[i] = x < 4 ? 0 : x < 8 ? 1 : 7; // columns 8..11 unannotated (7)
        }
        ImageIo.write(GrayImage.ofInts(w, w, java.util.Arrays.stream(label).map(v -> 20 * v).toArray(),
                BitDepth.EIGHT), img.resolve("a.png"));
        ImageIo.write(GrayImage.ofInts(w, w, label, BitDepth.EIGHT), lab.resolve("a.png"));
        LabelledImages set = LabelledImages.read(img, lab, LabelCoding.CLASSES, 2, 7);
        io.github.unet4j.train.weightmap.WeightMapConfig paper = io.github.unet4j.train.weightmap.WeightMapConfig
                .paper();
        Sample s = set.samples(set.normalization(), paper).get(0);
        float[] unmasked = io.github.unet4j.train.weightmap.WeightMap.fromClasses(set.labels().get(0), w, w, 2,
                paper);
        for (int i = 0; i < label.length; i++) {
            if (label[i] == 7) {
                assertEquals(0f, s.weight()[i], "ignored pixel " + i + " has no loss");
            } else {
                assertEquals(unmasked[i], s.weight()[i], "pixel " + i + " keeps its weight");
                assertTrue(s.weight()[i] > 0);
            }
        }
        // Without a weight map, the others weigh 1.
        Sample plain = set.samples(set.normalization(), null).get(0);
        for (int i = 0; i < label.length; i++) {
            assertEquals(label[i] == 7 ? 0f : 1f, plain.weight()[i]);
        }
    }

    @Test
    void thirtyTwoBitInstanceLabelsRead(@TempDir Path dir) throws Exception {
        Path img = Files.createDirectories(dir.resolve("image"));
        Path lab = Files.createDirectories(dir.resolve("label"));
        int w = 10;
        int[] ids = new int[w * w];
        for (int i = 0; i < ids.length; i++) {
            int x = i % w;
            int y = i / w;
            ids[i] = y < 2 || y > 7 ? 0 : x < 5 ? 70_000 : 1_000_000; // two touching objects
        }
        ImageIo.write(GrayImage.ofInts(w, w, java.util.Arrays.stream(ids).map(v -> v == 0 ? 0 : 200).toArray(),
                BitDepth.EIGHT), img.resolve("a.png"));
        ImageIo.write(GrayImage.ofInts(w, w, ids, BitDepth.INT32), lab.resolve("a_mask.tif"));
        LabelledImages set = LabelledImages.read(img, lab, LabelCoding.INSTANCES, 2, -1);
        int[] kept = set.instances().get(0);
        assertTrue(java.util.Arrays.stream(kept).anyMatch(v -> v == 70_000));
        assertTrue(java.util.Arrays.stream(kept).anyMatch(v -> v == 1_000_000));
        assertEquals(0, set.labels().get(0)[4 * w + 5], "the touching border became background");
        assertEquals(1, set.labels().get(0)[4 * w + 2]);
    }
}
