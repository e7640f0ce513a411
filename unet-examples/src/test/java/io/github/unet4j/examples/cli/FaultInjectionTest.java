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
import java.util.List;
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

    // ------------------------------------------------------------------ 2. the training log

    private static List<String> column(Path csv, int k) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",")[k]).toList();
    }

    private static String[] trainArgs(Path out, int steps, String... more) {
        String[] base = CliTest.train(data, out, "--steps", Integer.toString(steps));
        // CliTest.train gives --iterations 4; --steps is its alias, so drop that pair
        List<String> a = new java.util.ArrayList<>(List.of(base));
        int i = a.indexOf("--iterations");
        a.remove(i);
        a.remove(i);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void theLogContinuesAcrossResumeAndARerunKeepsIt(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        CommandRun first = CommandRun.of(trainArgs(run, 4));
        assertEquals(0, first.code(), first.err());
        List<String> firstLosses = column(run.resolve("training-log.csv"), 1);
        CommandRun second = CommandRun.of(trainArgs(run, 6, "--resume"));
        assertEquals(0, second.code(), second.err());
        Path log = run.resolve("training-log.csv");
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), column(log, 0));
        assertEquals(firstLosses, column(log, 1).subList(0, 4), "the first run's rows are kept");
        assertEquals(List.of("2", "4", "6"), column(run.resolve("validation-log.csv"), 0));
        assertTrue(Files.readString(run.resolve("validation-log.csv")).startsWith("step,pixel_error,"));
        // Running the finished command again changes neither log (it used to cut them to the header).
        String before = Files.readString(log);
        String validations = Files.readString(run.resolve("validation-log.csv"));
        CommandRun again = CommandRun.of(trainArgs(run, 6, "--resume"));
        assertEquals(0, again.code(), again.err());
        assertEquals(before, Files.readString(log));
        assertEquals(validations, Files.readString(run.resolve("validation-log.csv")));
        assertTrue(Files.size(run.resolve("training-plot.png")) > 0);
    }

    @Test
    void rowsLoggedAfterTheLastCheckpointOfAKilledRunAreDoneAgain(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, CommandRun.of(trainArgs(run, 4)).code());
        // As a run killed at step 6 after its checkpoint at 4 leaves it: rows 5 and 6, made up here.
        Path log = run.resolve("training-log.csv");
        Files.writeString(log, "5,9.0,0.001,0.1\n6,9.0,0.001,0.1\n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(0, CommandRun.of(trainArgs(run, 6, "--resume")).code());
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), column(log, 0), "each step once");
        assertFalse(column(log, 1).contains("9.0"), "the made-up rows are gone");
        // That the redone steps have the losses of an uninterrupted run: theRunKilledMidWriteResumesExactly.
    }

    @Test
    void aPreviousRunIsNotReplacedWithoutOverwrite(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, CommandRun.of(trainArgs(run, 2)).code());
        byte[] model = Files.readAllBytes(run.resolve("model.zip"));
        CommandRun r = CommandRun.of(trainArgs(run, 3, "--seed", "7"));
        assertOneLineError(r, "--out " + run, "holds a previous run (model.zip, training-log.csv", "--resume",
                "--overwrite", "another --out");
        assertArrayEquals(model, Files.readAllBytes(run.resolve("model.zip")), "left as it was");
        CommandRun o = CommandRun.of(trainArgs(run, 3, "--seed", "7", "--overwrite"));
        assertEquals(0, o.code(), o.err());
        assertEquals(List.of("1", "2", "3"), column(run.resolve("training-log.csv"), 0));
        assertOneLineError(CommandRun.of(trainArgs(run, 3, "--resume", "--overwrite")), "--resume and --overwrite");
    }
}
