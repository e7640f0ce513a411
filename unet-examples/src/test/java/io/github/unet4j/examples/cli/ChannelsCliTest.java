package io.github.unet4j.examples.cli;

import static io.github.unet4j.examples.cli.CliTest.assertOneLineError;
import static io.github.unet4j.examples.cli.CliTest.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.infer.ChannelNormalization;
import io.github.unet4j.train.checkpoint.Checkpoint;
import io.github.unet4j.train.io.ImageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** unet train, predict and evaluate on RGB and multi-page TIFF images, --in-channels following the data. */
class ChannelsCliTest {

    @Test
    void rgbImagesTrainPredictAndEvaluateWithThreeChannels(@TempDir Path dir) throws IOException {
        Path data = CliTestData.colourDataset(dir.resolve("data"), 3, 40, false);
        CommandRun r = CommandRun.of(train(data, dir.resolve("run")));
        assertEquals(0, r.code(), r.err());
        Checkpoint ck = Checkpoint.load(dir.resolve("run/model.zip"));
        assertEquals(3, ck.config().inChannels(), "--in-channels follows the data");
        // train's auto: the fastest precision (bf16 where the CPU has it), in the fastest algorithm for it.
        io.github.unet4j.core.ops.Precision fastest = io.github.unet4j.core.ops.Accelerators.fastest();
        assertEquals(fastest.label(), ck.metadata().get("training.precision"), ck.metadata().toString());
        assertEquals(io.github.unet4j.core.ops.Accelerators.fastestAlgorithm(fastest).label(),
                ck.metadata().get("training.conv_algorithm"), ck.metadata().toString());
        assertEquals("KEEP", ck.metadata().get("training.activations"), "--activations auto: KEEP fits");
        ChannelNormalization norm = ChannelNormalization.fromMetadata(ck.metadata());
        assertEquals(3, norm.count());
        // Fitted on the two training images: blue is 90 everywhere, red a gradient 0..248 (39 * 255 / 40).
        assertEquals(90 / 255.0, norm.channels().get(2).mean(), 1e-6);
        assertEquals(90 / 255.0, norm.channels().get(2).low(), 1e-6);
        assertEquals(0, norm.channels().get(0).low(), 1e-9);
        assertEquals(248 / 255.0, norm.channels().get(0).high(), 1e-6);

        Path pred = dir.resolve("pred");
        CommandRun p = CommandRun.of("predict", "--checkpoint", dir.resolve("run/model.zip").toString(), "--input",
                data.resolve("train/image").toString(), "--out", pred.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(40, ImageIo.read(pred.resolve("labels/00.png")).width());
        assertTrue(Files.exists(pred.resolve("overlay-00.png")));
        CommandRun e = CommandRun.of("evaluate", "--prediction", pred.resolve("labels").toString(), "--truth",
                data.resolve("train/label").toString());
        assertEquals(0, e.code(), e.err());

        // A gray image for an RGB model is refused in one line, before anything is written.
        Path gray = CliTestData.dataset(dir.resolve("gray"), 1, 40).resolve("test");
        Path refused = dir.resolve("refused");
        assertOneLineError(CommandRun.of("predict", "--checkpoint", dir.resolve("run/model.zip").toString(),
                "--input", gray.toString(), "--out", refused.toString()), "00.png", "is gray (1 channel) but the "
                + "model takes 3 (RGB)");
        assertFalse(Files.exists(refused));
    }

    @Test
    void tiffPagesAreChannelsAndEachIsNormalisedByItsOwnDepth(@TempDir Path dir) throws IOException {
        Path data = CliTestData.colourDataset(dir.resolve("data"), 3, 40, true);
        CommandRun r = CommandRun.of(train(data, dir.resolve("run")));
        assertEquals(0, r.code(), r.err());
        Checkpoint ck = Checkpoint.load(dir.resolve("run/model.zip"));
        assertEquals(2, ck.config().inChannels());
        ChannelNormalization norm = ChannelNormalization.fromMetadata(ck.metadata());
        // Page 1 is 16-bit (x 257) and page 2 8-bit: both scaled to 0..1 by their own full scale.
        assertEquals(30 / 255.0, norm.channels().get(0).low(), 1e-6);
        assertEquals(0, norm.channels().get(1).low(), 1e-9);
        Path pred = dir.resolve("pred");
        CommandRun p = CommandRun.of("predict", "--checkpoint", dir.resolve("run/model.zip").toString(), "--input",
                data.resolve("train/image/00.tif").toString(), "--out", pred.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(Files.exists(pred.resolve("labels/00.png")), "one image of two channels, not two slices");
        assertFalse(Files.exists(pred.resolve("labels/00-000.png")));
        // Given as channels explicitly, a mismatch names the file and the fix.
        assertOneLineError(CommandRun.of(train(data, dir.resolve("run3"), "--in-channels", "3")), "00.tif",
                "has 2 channels but the network takes 3", "--in-channels 2");
    }

    @Test
    void grayImagesSavedAsRgbStayGrayAndMixedChannelsAreRefused(@TempDir Path dir) throws IOException {
        Path data = CliTestData.dataset(dir.resolve("data"), 3, 40);
        // Re-save one image as RGB with equal channels: the set stays gray.
        Path one = data.resolve("train/image/01.png");
        java.awt.image.BufferedImage g = javax.imageio.ImageIO.read(one.toFile());
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(40, 40,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(g, 0, 0, null);
        javax.imageio.ImageIO.write(rgb, "png", one.toFile());
        CommandRun r = CommandRun.of(train(data, dir.resolve("run")));
        assertEquals(0, r.code(), r.err());
        assertEquals(1, Checkpoint.load(dir.resolve("run/model.zip")).config().inChannels());
        // A real colour image among gray ones: one line naming it.
        java.awt.image.BufferedImage colour = new java.awt.image.BufferedImage(40, 40,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        colour.setRGB(3, 4, 0xFF0000);
        javax.imageio.ImageIO.write(colour, "png", data.resolve("train/image/02.png").toFile());
        assertOneLineError(CommandRun.of(train(data, dir.resolve("run2"))), "02.png", "has 3 channels but the "
                + "first image has 1", "same channels");
    }
}
