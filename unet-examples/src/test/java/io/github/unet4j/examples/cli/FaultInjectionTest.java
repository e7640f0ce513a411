package io.github.unet4j.examples.cli;

import static io.github.unet4j.examples.cli.CliTest.assertOneLineError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.infer.Normalization;
import io.github.unet4j.train.checkpoint.Checkpoint;
import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code unet} command given what a hostile user gives it (issue 14): images of another bit
 * depth than the training data's, damaged checkpoints, leftovers of killed runs, broken links,
 * and more. Each case failed or misbehaved silently before its fix; docs/reliability.md lists
 * them. One tiny model, trained once, serves the cases that need one.
 */
class FaultInjectionTest {

    @TempDir
    static Path shared;
    static Path data;
    static Path model;

    @BeforeAll
    static void trainOnce() throws IOException {
        data = CliTestData.dataset(shared.resolve("data"), 3, 40);
        Path out = shared.resolve("run");
        CommandRun t = CommandRun.of(CliTest.train(data, out));
        assertEquals(0, t.code(), t.err());
        model = out.resolve("model.zip");
    }

    private static CommandRun predict(Path input, Path out, String... more) {
        String[] base = {"predict", "--checkpoint", model.toString(), "--input", input.toString(), "--out",
            out.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CommandRun.of(args);
    }

    /** @return the 8-bit slices of a folder written again as 16-bit images (each value x 257) */
    private static Path sixteenBitCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path p : ImageIo.listImages(from)) {
            GrayImage g = ImageIo.read(p);
            float[] v = g.pixels();
            for (int i = 0; i < v.length; i++) {
                v[i] *= 257;
            }
            ImageIo.write(new GrayImage(g.width(), g.height(), v, BitDepth.SIXTEEN), to.resolve(p.getFileName()));
        }
        return to;
    }

    // ------------------------------------------------------------------ 1. bit depths

    @Test
    void aSixteenBitCopyOfTheTestSlicesSegmentsExactlyAsTheEightBitOnes(@TempDir Path dir) throws IOException {
        Path wide = sixteenBitCopy(data.resolve("test"), dir.resolve("test16"));
        assertEquals(BitDepth.SIXTEEN, ImageIo.read(wide.resolve("00.png")).depth());
        CommandRun a = predict(data.resolve("test"), dir.resolve("p8"), "--format", "TIFF");
        CommandRun b = predict(wide, dir.resolve("p16"), "--format", "TIFF");
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        for (String name : new String[] {"00", "01", "02"}) {
            assertArrayEquals(ImageIo.read(dir.resolve("p8/probabilities/" + name + ".tif")).pixels(),
                    ImageIo.read(dir.resolve("p16/probabilities/" + name + ".tif")).pixels(), 1e-6f, name);
        }
    }

    @Test
    void aMixOfEightAndSixteenBitTrainingSlicesNormalisesEachByItsOwnDepth(@TempDir Path dir) throws IOException {
        Path mixed = CliTestData.dataset(dir.resolve("mixed"), 3, 40);
        for (String sub : new String[] {"train/image"}) {
            Path img = mixed.resolve(sub);
            Path tmp = sixteenBitCopy(img, dir.resolve("wide"));
            Files.copy(tmp.resolve("01.png"), img.resolve("01.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(BitDepth.SIXTEEN, ImageIo.read(mixed.resolve("train/image/01.png")).depth());
        CommandRun t = CommandRun.of(CliTest.train(mixed, dir.resolve("run")));
        assertEquals(0, t.code(), t.err());
        Normalization n = Normalization.fromMetadata(Checkpoint.load(dir.resolve("run/model.zip")).metadata());
        Normalization eightOnly = Normalization.fromMetadata(Checkpoint.load(model).metadata());
        assertEquals(eightOnly.mean(), n.mean(), 1e-6, "the same slices, one of them stored as 16 bits");
        assertEquals(eightOnly.std(), n.std(), 1e-6);
    }

    @Test
    void anImageOutsideTheTrainingRangeIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
        // The test slices as float TIFFs of the raw 0..255 values: a float image is taken as it is,
        // so these would reach 255 where the model saw at most 1.
        Path floats = Files.createDirectories(dir.resolve("floats"));
        for (Path p : ImageIo.listImages(data.resolve("test"))) {
            GrayImage g = ImageIo.read(p);
            ImageIo.write(new GrayImage(g.width(), g.height(), g.pixels(), BitDepth.FLOAT32),
                    floats.resolve(InputImages.stem(p) + ".tif"));
        }
        Path out = dir.resolve("pred");
        CommandRun r = predict(floats, out);
        assertOneLineError(r, "00.tif (FLOAT32)", "span 40..209", "model was trained on 0.1569..0.8196", "rescale this one",
                model.toString());
        assertFalse(Files.exists(out), "nothing written");
    }
}
