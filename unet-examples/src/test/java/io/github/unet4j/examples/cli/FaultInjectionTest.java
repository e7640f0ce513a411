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
        return trainArgs(data, out, steps, more);
    }

    private static String[] trainArgs(Path data, Path out, int steps, String... more) {
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

    // ------------------------------------------------------------------ 3. tiles too large for memory

    @Test
    void aTileTooLargeForMemoryIsRefusedBeforeAllocating(@TempDir Path dir) {
        Path out = dir.resolve("run");
        CommandRun r = CommandRun.of(trainArgs(out, 2, "--tile", "40004"));
        assertOneLineError(r, "--tile 40004: one tile needs about ", " GB to train, but ", " GB are free (",
                "the largest tile that fits is ");
        assertFalse(Files.exists(out), "no output folder");
        int fits = Integer.parseInt(r.err().replaceAll("(?s).*the largest tile that fits is (\\d+).*", "$1").strip());
        assertTrue(fits > 26 && fits < 40004, r.err());
    }

    @Test
    void theLargestFittingTileIsTheBruteForceOne() {
        io.github.unet4j.core.UNet net = new io.github.unet4j.core.UNet(new io.github.unet4j.core.UNetConfig(1, 2, 3,
                4, io.github.unet4j.core.Padding.VALID, false, 0, io.github.unet4j.core.Upsampling.TRANSPOSED),
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 1);
        List<Integer> sizes = net.config().validInputSizes(1, 2000);
        for (long budget : new long[] {3_000_000, 40_000_000, 123_456_789}) {
            int expected = -1;
            for (int t : sizes) {
                if (net.peakBytes(new long[] {2, 1, t, t}, io.github.unet4j.core.Mode.INFER) <= budget) {
                    expected = t;
                }
            }
            int tile = sizes.get(sizes.size() - 1);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> TileMemory.check("--tile", net, tile, 2, io.github.unet4j.core.Mode.INFER, 0, budget,
                            "test budget"));
            assertTrue(e.getMessage().contains(expected > 0 ? "the largest tile that fits is " + expected
                    + " (or lower --batch)" : "no tile fits"), budget + ": " + e.getMessage());
        }
        TileMemory.check("--tile", net, 44, 1, io.github.unet4j.core.Mode.INFER, 0, Long.MAX_VALUE, "all");
    }

    @Test
    void predictWithATileFarLargerThanTheImagesSegmentsWithTheCoveringTile(@TempDir Path dir) throws IOException {
        CommandRun a = predict(data.resolve("test"), dir.resolve("a"), "--format", "TIFF");
        CommandRun b = predict(data.resolve("test"), dir.resolve("b"), "--format", "TIFF", "--tile", "10004");
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        assertArrayEquals(ImageIo.read(dir.resolve("a/probabilities/00.tif")).pixels(),
                ImageIo.read(dir.resolve("b/probabilities/00.tif")).pixels(), 1e-5f);
    }

    // ------------------------------------------------------------------ 4. damaged checkpoints

    @Test
    void aCheckpointWithAFlippedBitIsRefused(@TempDir Path dir) throws IOException {
        byte[] zip = Files.readAllBytes(model);
        String member = "params/outc.conv.weight.npy";
        int at = indexOf(zip, member.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(at > 30);
        int data0 = at + member.length() + ((zip[at - 2] & 0xff) | (zip[at - 1] & 0xff) << 8);
        zip[data0 + 128 + 5] ^= 0x10; // a weight's bits, after the 128-byte .npy header
        Path bad = Files.write(dir.resolve("model.zip"), zip);
        Path out = dir.resolve("pred");
        CommandRun r = CommandRun.of("predict", "--checkpoint", bad.toString(), "--input", data.resolve("test")
                .toString(), "--out", out.toString());
        assertOneLineError(r, bad.toString(), member, "is damaged", "CRC-32");
        assertFalse(Files.exists(out));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ------------------------------------------------------------------ 6. broken links

    @Test
    void danglingAndLoopingImageLinksAreErrorsInEveryCommand(@TempDir Path dir) throws IOException {
        for (boolean loop : new boolean[] {false, true}) {
            Path d = CliTestData.dataset(dir.resolve("data-" + loop), 3, 40);
            Path link = d.resolve("test/zz.png");
            if (loop) {
                Files.createSymbolicLink(link, link.getFileName());
            } else {
                Files.createSymbolicLink(link, dir.resolve("gone.png"));
            }
            String why = loop ? "is a loop of symbolic links" : "which does not exist";
            assertOneLineError(predict(d.resolve("test"), dir.resolve("p")), "zz.png", why, "fix or remove the link");
            Path img = d.resolve("train/image/zz.png");
            Files.copy(link, img, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            assertOneLineError(CommandRun.of(CliTest.train(d, dir.resolve("t"))), "zz.png", why);
            Files.delete(img);
            Path labels = Files.createDirectories(dir.resolve("labels-" + loop));
            for (String n : new String[] {"00.png", "01.png", "02.png"}) {
                Files.copy(d.resolve("train/label/" + n), labels.resolve(n));
            }
            Files.copy(link, labels.resolve("zz.png"), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            assertOneLineError(CommandRun.of("evaluate", "--prediction", labels.toString(), "--truth",
                    d.resolve("train/label").toString()), "zz.png", why);
        }
        assertFalse(Files.exists(dir.resolve("p")));
        assertFalse(Files.exists(dir.resolve("t")));
    }

    // ------------------------------------------------------------------ 7. evaluate

    @Test
    void evaluateComparesPredictsTiffMapsWithPngLabels(@TempDir Path dir) throws IOException {
        Path pred = dir.resolve("pred");
        assertEquals(0, predict(data.resolve("test"), pred, "--format", "TIFF").code());
        CommandRun tiff = CommandRun.of("evaluate", "--prediction", pred.resolve("probabilities").toString(),
                "--truth", data.resolve("train/label").toString());
        assertEquals(0, tiff.code(), tiff.err());
        CommandRun png = CommandRun.of("evaluate", "--prediction", pred.resolve("labels").toString(), "--truth",
                data.resolve("train/label").toString());
        assertEquals(0, png.code(), png.err());
        // The float maps thresholded at 0.5 are the argmax labels (two classes): the same scores.
        assertEquals(png.out(), tiff.out());
        assertTrue(tiff.out().lines().anyMatch(l -> l.startsWith("00 ")), tiff.out());
    }

    @Test
    void aFailingEvaluatePrintsNothingOnStandardOutput(@TempDir Path dir) throws IOException {
        Path pred = Files.createDirectories(dir.resolve("pred"));
        Files.copy(data.resolve("train/label/00.png"), pred.resolve("00.png"));
        Files.copy(data.resolve("train/label/01.png"), pred.resolve("01.png"));
        Files.writeString(pred.resolve("02.png"), "not an image");
        CommandRun r = CommandRun.of("evaluate", "--prediction", pred.toString(), "--truth",
                data.resolve("train/label").toString());
        assertOneLineError(r, "02.png");
        assertEquals("", r.out());
    }

    @Test
    void aTruthImageWithoutAPredictionIsAnError(@TempDir Path dir) throws IOException {
        Path pred = Files.createDirectories(dir.resolve("pred"));
        Files.copy(data.resolve("train/label/00.png"), pred.resolve("00.png"));
        CommandRun r = CommandRun.of("evaluate", "--prediction", pred.toString(), "--truth",
                data.resolve("train/label").toString());
        assertOneLineError(r, "01.png", "no prediction of this name");
        assertEquals("", r.out());
    }

    @Test
    void aClassAbsentFromBothImagesHasNoIouAndTheMeanSkipsIt(@TempDir Path dir) throws IOException {
        Path pred = Files.createDirectories(dir.resolve("pred"));
        Path truth = Files.createDirectories(dir.resolve("truth"));
        int[] allCell = new int[40 * 40];
        java.util.Arrays.fill(allCell, 255);
        ImageIo.write(GrayImage.ofInts(40, 40, allCell, BitDepth.EIGHT), pred.resolve("a.png"));
        ImageIo.write(GrayImage.ofInts(40, 40, allCell, BitDepth.EIGHT), truth.resolve("a.png"));
        Files.copy(data.resolve("train/label/00.png"), pred.resolve("b.png"));
        Files.copy(data.resolve("train/label/00.png"), truth.resolve("b.png"));
        CommandRun r = CommandRun.of("evaluate", "--prediction", pred.toString(), "--truth", truth.toString());
        assertEquals(0, r.code(), r.err());
        String a = r.out().lines().filter(l -> l.startsWith("a ")).findFirst().orElseThrow();
        assertTrue(a.contains("n/a") && !a.contains("NaN"), r.out());
        String mean = r.out().lines().filter(l -> l.startsWith("mean ")).findFirst().orElseThrow();
        String[] cells = mean.trim().split("\\s+");
        assertEquals(List.of("1.0000", "1.0000"), List.of(cells).subList(cells.length - 2, cells.length),
                "membrane IoU of b alone, cell IoU of both: " + r.out());
    }

    // ------------------------------------------------------------------ 8. messages name the option

    @Test
    void errorsNameTheOptionTheUserTyped(@TempDir Path dir) {
        Path out = dir.resolve("run");
        assertOneLineError(CommandRun.of(trainArgs(out, 0)), "--steps 0: must be at least 1");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--batch", "0")), "--batch 0: must be at least 1");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--classes", "1")), "--classes 1: must be at least 2");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--classes", "3")), "--classes 3: unet train reads binary");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--validation", "-1")), "--validation -1: must be at least 0");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--validation", "3")), "--validation 3: holds out all 3");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--tile", "27")), "--tile 27: is not valid",
                "nearest valid sizes");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--tile", "2147483647")), "--tile 2147483647",
                "none above");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--lr", "-1")), "--lr -1.0: must be a finite number above 0");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--dropout", "1")), "--dropout 1.0");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--depth", "9")), "--depth 9: must be 1 to 8");
        assertOneLineError(CommandRun.of(trainArgs(out, 2, "--in-channels", "3")),
                "is gray (1 channel) but the network takes 3", "--in-channels 1");
        assertOneLineError(predict(data.resolve("test"), dir.resolve("p"), "--batch", "0"),
                "--batch 0: must be at least 1");
        for (String forbidden : new String[] {"TrainerConfig", "UNetConfig", "Cosine", "BinaryCrossEntropy"}) {
            assertFalse(CommandRun.of(trainArgs(out, 0)).err().contains(forbidden));
            assertFalse(CommandRun.of(trainArgs(out, 2, "--classes", "1")).err().contains(forbidden));
        }
        assertFalse(Files.exists(out), "no output folder after a refused run");
        assertFalse(Files.exists(dir.resolve("p")));
    }

    /** The real main, in another process: it sets up the runtime (whose malloc line was INFO) first. */
    @Test
    void helpPrintsNothingOnStandardError(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), UnetCommand.class.getName(), "--help")
                .redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertEquals(0, p.waitFor());
        assertEquals("", Files.readString(err));
        assertTrue(Files.readString(dir.resolve("out.txt")).contains("Usage: unet"));
    }

    // ------------------------------------------------------------------ 9. warnings

    @Test
    void oneClassLabelsAndTilesFarLargerThanTheImagesAreWarnedAbout(@TempDir Path dir) throws IOException {
        Path d = CliTestData.dataset(dir.resolve("data"), 3, 40);
        int[] zeros = new int[40 * 40];
        ImageIo.write(GrayImage.ofInts(40, 40, zeros, BitDepth.EIGHT), d.resolve("train/label/00.png"));
        CommandRun r = CommandRun.of(trainArgs(d, dir.resolve("run"), 4, "--tile", "204"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("unet train: warning: label 00.png is all membrane (0)"), r.err());
        assertTrue(r.err().contains("unet train: warning: --tile 204 gives "), r.err());
        CommandRun quiet = CommandRun.of(CliTest.train(CliTestData.dataset(dir.resolve("ok"), 3, 40),
                dir.resolve("run2")));
        assertFalse(quiet.err().contains("warning"), quiet.err());
    }

    // ------------------------------------------------------------------ 10. memory over a long run

    @Test
    void theMemoryLogSplitsResidentMemoryIntoHeapAndNative(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("memory.csv");
        CommandRun r = CommandRun.of(trainArgs(dir.resolve("run"), 30, "--memory-log", csv.toString()));
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,rss_mb,heap_resident_mb,native_mb,heap_committed_mb,heap_used_mb,pool_idle_mb",
                lines.get(0));
        assertEquals(List.of("10", "20", "30"), lines.stream().skip(1).map(l -> l.split(",")[0]).toList());
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double rss = Double.parseDouble(c[1]);
            double heap = Double.parseDouble(c[2]);
            double nat = Double.parseDouble(c[3]);
            assertTrue(heap > 0 && nat > 0 && Math.abs(heap + nat - rss) < 0.2, line);
        }
    }
}
