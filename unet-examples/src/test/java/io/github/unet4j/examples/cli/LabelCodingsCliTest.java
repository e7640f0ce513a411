package io.github.unet4j.examples.cli;

import static io.github.unet4j.examples.cli.CliTest.assertOneLineError;
import static io.github.unet4j.examples.cli.CliTest.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** unet train on class-id and instance labels (issue 15), with label files named image_mask.png. */
class LabelCodingsCliTest {

    @Test
    void threeClassLabelsTrainAndValidatePerClass(@TempDir Path dir) throws IOException {
        Path data = CliTestData.classesDataset(dir.resolve("data"), 3, 40);
        CommandRun r = CommandRun.of(train(data, dir.resolve("run"), "--labels", "classes", "--classes", "3"));
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Checkpoint.load(dir.resolve("run/model.zip")).config().classes());
        String header = Files.readAllLines(dir.resolve("run/validation-log.csv")).get(0);
        assertEquals("step,pixel_accuracy,mean_iou,mean_dice,iou_0,iou_1,iou_2", header);
        // Without --classes, K comes from the data.
        CommandRun inferred = CommandRun.of(train(data, dir.resolve("run2"), "--labels", "classes"));
        assertEquals(0, inferred.code(), inferred.err());
        assertEquals(3, Checkpoint.load(dir.resolve("run2/model.zip")).config().classes());
    }

    @Test
    void threeClassesTrainPredictAndEvaluateEndToEnd(@TempDir Path dir) throws IOException {
        Path data = CliTestData.classesDataset(dir.resolve("data"), 3, 40);
        assertEquals(0, CommandRun.of(train(data, dir.resolve("run"), "--labels", "classes", "--classes", "3"))
                .code());
        Path pred = dir.resolve("pred");
        CommandRun p = CommandRun.of("predict", "--checkpoint", dir.resolve("run/model.zip").toString(), "--input",
                data.resolve("train/image").toString(), "--out", pred.toString(), "--format", "TIFF");
        assertEquals(0, p.code(), p.err());
        assertEquals(3, io.github.unet4j.train.io.ImageIo.readStack(pred.resolve("probabilities/00.tif")).size(),
                "a float page per class");
        // The class map is a palette PNG: its indices are the class ids, its colours the overlay's.
        io.github.unet4j.train.io.GrayImage classMap = io.github.unet4j.train.io.ImageIo.readLabelIndices(
                pred.resolve("labels/00.png"));
        assertTrue(java.util.Arrays.stream(classMap.toIntArray()).allMatch(c -> c >= 0 && c < 3));
        java.awt.image.BufferedImage shown = javax.imageio.ImageIO.read(pred.resolve("labels/00.png").toFile());
        assertTrue(shown.getColorModel() instanceof java.awt.image.IndexColorModel, "a palette image");
        for (int i = 0; i < 40 * 40; i += 97) {
            assertEquals(io.github.unet4j.examples.Pictures.colour(classMap.toIntArray()[i]),
                    shown.getRGB(i % 40, i / 40) & 0xFFFFFF, "pixel " + i + " shows its class's colour");
        }
        assertTrue(Files.exists(pred.resolve("overlay-00.png")));
        Path csv = dir.resolve("scores.csv");
        CommandRun e = CommandRun.of("evaluate", "--prediction", pred.resolve("labels").toString(), "--truth",
                data.resolve("train/label").toString(), "--labels", "classes", "--classes", "3", "--csv",
                csv.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().startsWith(String.format("%-12s %11s %11s %11s", "image", "pixel_acc", "mean_iou",
                "mean_dice")), e.out());
        assertEquals("image,pixel_acc,mean_iou,mean_dice,iou_0,iou_1,iou_2", Files.readAllLines(csv).get(0));
        assertEquals(4, Files.readAllLines(csv).size(), "a row per image");
        // The truth against itself scores 1.
        CommandRun self = CommandRun.of("evaluate", "--prediction", data.resolve("train/label").toString(), "--truth",
                data.resolve("train/label").toString(), "--labels", "classes");
        assertEquals(0, self.code(), self.err());
        assertTrue(self.out().lines().filter(l -> l.startsWith("mean")).findFirst().orElseThrow()
                .matches("mean(\\s+1\\.0000)+"), self.out());
    }

    @Test
    void instancesTrainPredictAndEvaluateEndToEnd(@TempDir Path dir) throws IOException {
        Path data = CliTestData.instancesDataset(dir.resolve("data"), 3, 40);
        assertEquals(0, CommandRun.of(train(data, dir.resolve("run"), "--labels", "instances")).code());
        Path pred = dir.resolve("pred");
        CommandRun p = CommandRun.of("predict", "--checkpoint", dir.resolve("run/model.zip").toString(), "--input",
                data.resolve("train/image").toString(), "--out", pred.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.err().contains(" objects ("), p.err());
        assertEquals(io.github.unet4j.train.io.BitDepth.SIXTEEN, io.github.unet4j.train.io.ImageIo.read(
                pred.resolve("labels/00.png")).depth());
        CommandRun e = CommandRun.of("evaluate", "--prediction", pred.resolve("labels").toString(), "--truth",
                data.resolve("train/label").toString(), "--labels", "instances");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("seg") && e.out().contains("f1"), e.out());
        CommandRun self = CommandRun.of("evaluate", "--prediction", data.resolve("train/label").toString(), "--truth",
                data.resolve("train/label").toString(), "--labels", "instances");
        String mean = self.out().lines().filter(l -> l.startsWith("mean")).findFirst().orElseThrow();
        String[] cells = mean.trim().split("\\s+");
        assertEquals(List.of("1.0000", "1.0000", "1.0000", "1.0000", "1.0000"), List.of(cells).subList(1, 6),
                self.out());
    }

    @Test
    void watershedObjectsForInstanceAndBinaryModels(@TempDir Path dir) throws IOException {
        Path data = CliTestData.instancesDataset(dir.resolve("data"), 3, 40);
        assertEquals(0, CommandRun.of(train(data, dir.resolve("run"), "--labels", "instances")).code());
        Path pred = dir.resolve("pred");
        CommandRun p = CommandRun.of("predict", "--checkpoint", dir.resolve("run/model.zip").toString(), "--input",
                data.resolve("train/image").toString(), "--out", pred.toString(), "--watershed", "--min-size", "3");
        assertEquals(0, p.code(), p.err());
        assertTrue(Files.exists(pred.resolve("labels/00.png")));
        Path bin = CliTestData.dataset(dir.resolve("bin"), 3, 40);
        assertEquals(0, CommandRun.of(train(bin, dir.resolve("brun"))).code());
        Path bpred = dir.resolve("bpred");
        CommandRun b = CommandRun.of("predict", "--checkpoint", dir.resolve("brun/model.zip").toString(), "--input",
                bin.resolve("train/image").toString(), "--out", bpred.toString(), "--watershed");
        assertEquals(0, b.code(), b.err());
        assertEquals(io.github.unet4j.train.io.BitDepth.SIXTEEN, io.github.unet4j.train.io.ImageIo.read(
                bpred.resolve("segments/00.png")).depth());
        CommandRun e = CommandRun.of("evaluate", "--prediction", bpred.resolve("segments").toString(), "--truth",
                bin.resolve("train/label").toString(), "--segments");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("rand_error"), e.out());
        // The truth's own cells as segments score a Rand error of 0.
        Path cells = Files.createDirectories(dir.resolve("cells"));
        for (String n : new String[] {"00", "01", "02"}) {
            io.github.unet4j.train.io.GrayImage t = io.github.unet4j.train.io.ImageIo.read(bin.resolve("train/label/"
                    + n + ".png"));
            int[] ids = io.github.unet4j.train.metrics.CellSegments.label(io.github.unet4j.train.metrics.LabelImage.of(
                    t), io.github.unet4j.train.metrics.MembraneLabel.ZERO).labels();
            io.github.unet4j.train.io.ImageIo.write(io.github.unet4j.train.io.GrayImage.ofInts(40, 40, ids,
                    io.github.unet4j.train.io.BitDepth.SIXTEEN), cells.resolve(n + ".png"));
        }
        CommandRun self = CommandRun.of("evaluate", "--prediction", cells.toString(), "--truth",
                bin.resolve("train/label").toString(), "--segments");
        String mean = self.out().lines().filter(l -> l.startsWith("mean")).findFirst().orElseThrow();
        assertEquals("0.0000", mean.trim().split("\\s+")[2], self.out());
        CommandRun refused = CommandRun.of("predict", "--checkpoint", dir.resolve("brun/model.zip").toString(),
                "--input", bin.resolve("train/image").toString(), "--out", dir.resolve("x").toString(), "--min-size",
                "0");
        assertEquals(2, refused.code());
    }

    @Test
    void instanceLabelsTrainATwoClassNetworkWithRidges(@TempDir Path dir) throws IOException {
        Path data = CliTestData.instancesDataset(dir.resolve("data"), 3, 40);
        CommandRun r = CommandRun.of(train(data, dir.resolve("run"), "--labels", "instances"));
        assertEquals(0, r.code(), r.err());
        assertEquals(2, Checkpoint.load(dir.resolve("run/model.zip")).config().classes());
        assertTrue(Files.readAllLines(dir.resolve("run/validation-log.csv")).get(0).startsWith("step,pixel_accuracy"));
    }

    @Test
    void labelMistakesAreOneLineErrorsThatSayWhatToPass(@TempDir Path dir) throws IOException {
        Path instances = CliTestData.instancesDataset(dir.resolve("inst"), 2, 40);
        assertOneLineError(CommandRun.of(train(instances, dir.resolve("a"))), "00_mask.png", "pass --labels instances");
        assertOneLineError(CommandRun.of(train(instances, dir.resolve("b"), "--labels", "classes", "--classes", "3")),
                "00_mask.png", "is not a class id 0..2", "pass --classes");
        Path binary = CliTestData.dataset(dir.resolve("bin"), 2, 40);
        assertOneLineError(CommandRun.of(train(binary, dir.resolve("c"), "--labels", "classes", "--classes", "2")),
                "values 0 and 255 make a binary mask, not class ids: pass --labels binary");
        assertOneLineError(CommandRun.of(train(binary, dir.resolve("d"), "--classes", "3")), "--classes 3",
                "pass --labels classes");
    }

    @Test
    void ignoredPixelsTrain(@TempDir Path dir) throws IOException {
        Path data = CliTestData.classesDataset(dir.resolve("data"), 3, 40);
        CommandRun r = CommandRun.of(train(data, dir.resolve("run"), "--labels", "classes", "--classes", "2",
                "--ignore-label", "2"));
        assertEquals(0, r.code(), r.err());
        assertEquals(2, Checkpoint.load(dir.resolve("run/model.zip")).config().classes());
    }
}
