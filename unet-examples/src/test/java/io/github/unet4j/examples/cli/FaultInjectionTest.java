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
import java.util.stream.Stream;
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

    /** CliTest.train's arguments with {@code --iterations steps} and the options in {@code more} replacing its own. */
    private static String[] trainArgs(Path out, int steps, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of(CliTest.train(data, out)));
        a.set(a.indexOf("--iterations") + 1, Integer.toString(steps));
        List<String> extra = new java.util.ArrayList<>(List.of(more));
        for (int i = 0; i < extra.size(); i++) {
            int at = a.indexOf(extra.get(i));
            if (at >= 0 && i + 1 < extra.size() && !extra.get(i + 1).startsWith("--")) {
                a.set(at + 1, extra.get(i + 1));
                extra.remove(i + 1);
                extra.remove(i);
                i--;
            }
        }
        a.addAll(extra);
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

    // ------------------------------------------------------------------ kill -9, 5. temporary files

    private static List<Path> leftovers(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }

    /**
     * A training run in another process killed with SIGKILL while it logs and checkpoints (every
     * 5 steps), then resumed here: the log holds whole rows only, the checkpoint is intact, and
     * the resumed run's losses and weights equal an uninterrupted run's, bit for bit, with no
     * temporary file left.
     */
    @Test
    void theRunKilledMidWriteResumesExactly(@TempDir Path dir) throws Exception {
        int steps = 300;
        String[] more = {"--checkpoint-every", "5", "--validate-every", "50"};
        Path ref = dir.resolve("ref");
        assertEquals(0, CommandRun.of(trainArgs(ref, steps, more)).code());

        Path run = dir.resolve("run");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), UnetCommand.class.getName()));
        cmd.addAll(List.of(trainArgs(run, steps, more)));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.txt")
                .toFile()).start();
        Path log = run.resolve("training-log.csv");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (child.isAlive() && System.nanoTime() < deadline
                && (!Files.exists(log) || Files.readAllLines(log).size() < 38)) {
            Thread.sleep(5);
        }
        assertTrue(child.isAlive(), "the child must still be training when it is killed: "
                + Files.readString(dir.resolve("child.txt")));
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        List<String> rows = Files.readAllLines(log);
        assertTrue(rows.size() > 30 && rows.size() < steps, rows.size() + " rows");
        for (String row : rows.subList(1, rows.size())) {
            assertEquals(4, row.split(",", -1).length, "a whole row: " + row);
        }
        Checkpoint killed = Checkpoint.load(run.resolve("model.zip")); // complete, CRCs intact
        assertTrue(killed.step() % 5 == 0 && killed.step() > 0, "step " + killed.step());

        CommandRun resumed = CommandRun.of(trainArgs(run, steps, concat(more, "--resume")));
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(column(ref.resolve("training-log.csv"), 0), column(log, 0), "every step once");
        assertEquals(column(ref.resolve("training-log.csv"), 1), column(log, 1), "the uninterrupted run's losses");
        assertEquals(column(ref.resolve("validation-log.csv"), 1), column(run.resolve("validation-log.csv"), 1));
        Checkpoint a = Checkpoint.load(ref.resolve("model.zip"));
        Checkpoint b = Checkpoint.load(run.resolve("model.zip"));
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        a.parameters().forEach((k, v) -> assertEquals(v, b.parameters().get(k), k));
        assertEquals(List.of(), leftovers(run));
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @Test
    void temporaryFilesOfAKilledCheckpointAndPredictionAreRemovedByTheNextRun(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, CommandRun.of(trainArgs(run, 2)).code());
        // What kill -9 during a checkpoint and during predict leaves: hidden, empty .part files.
        Path ck = stale(run.resolve(".model.zip.4f2a9e01b3c5d7e8.part"));
        Path pred = dir.resolve("pred");
        assertEquals(0, predict(data.resolve("test"), pred).code());
        Path label = stale(pred.resolve("labels/.00.png.9c1d.part"));
        Path prob = stale(pred.resolve("probabilities/.01.png.77aa.part"));
        Path theirs = stale(run.resolve(".notes.part")); // not a name the project makes
        assertEquals(0, CommandRun.of(trainArgs(run, 3, "--resume")).code());
        assertEquals(0, predict(data.resolve("test"), pred).code());
        assertFalse(Files.exists(ck));
        assertFalse(Files.exists(label));
        assertFalse(Files.exists(prob));
        assertTrue(Files.exists(theirs));
    }

    private static Path stale(Path p) throws IOException {
        Files.write(p, new byte[0]);
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
                .minusSeconds(3600)));
        return p;
    }
}
