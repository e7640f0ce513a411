package io.github.unet4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.train.checkpoint.Checkpoint;
import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;

/**
 * The commands end to end on tiny synthetic data (train, predict, evaluate, weightmap), and
 * every kind of bad input: a one-line error naming the file and the problem, exit code 2, and
 * no output left behind.
 */
class CliTest {


    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    static void assertOneLineError(CommandRun r, String... parts) {
        assertEquals(UnetCommand.USAGE_ERROR, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "'" + p + "' missing from: " + r.err());
        }
    }

    static Path dataset(Path root, int n, int size) throws IOException {
        return CliTestData.dataset(root, n, size);
    }

    static final String[] TINY = {"--depth", "2", "--base-channels", "2", "--tile", "26", "--dropout", "0"};

    static String[] train(Path data, Path out, String... more) {
        return Stream.of(new String[] {"train", "--data", data.toString(), "--out", out.toString(), "--validation",
            "1", "--iterations", "4", "--validate-every", "2", "--checkpoint-every", "0"}, TINY, more)
                .flatMap(Stream::of).toArray(String[]::new);
    }

    /**
     * Picocli formats help text with {@link String#format}; a description it cannot format (a bare
     * percent sign) is shown raw and warned about on standard error.
     */
    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<String> helped = new ArrayList<>();
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            usageOfEvery(UnetCommand.commandLine(), helped);
        } finally {
            System.setErr(stderr);
        }
        assertTrue(helped.size() > 5, "commands helped: " + helped);
        String w = warnings.toString(StandardCharsets.UTF_8);
        assertFalse(w.contains("Could not format"), "help text picocli cannot format (escape % as %%): " + w);
    }

    private static void usageOfEvery(CommandLine cl, List<String> helped) {
        assertFalse(cl.getUsageMessage().isBlank(), cl.getCommandName());
        helped.add(cl.getCommandName());
        cl.getSubcommands().values().forEach(sub -> usageOfEvery(sub, helped));
    }

    @Test
    void trainPredictEvaluateWeightmap(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 3, 40);
        Path out = dir.resolve("run");
        CommandRun t = run(train(data, out));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("validation at step 2"), t.err());
        assertTrue(Files.size(out.resolve("model.zip")) > 0);
        assertTrue(Files.readString(out.resolve("training-log.csv")).startsWith("step,loss"));
        assertTrue(Files.size(out.resolve("training-plot.png")) > 0);

        Path pred = dir.resolve("pred");
        CommandRun p = run("predict", "--checkpoint", out.resolve("model.zip").toString(), "--input",
                data.resolve("train/image").toString(), "--out", pred.toString(), "--tta");
        assertEquals(0, p.code(), p.err());
        GrayImage prob = ImageIo.read(pred.resolve("probabilities/00.png"));
        assertEquals(40, prob.width());
        assertTrue(Files.exists(pred.resolve("labels/02.png")));
        assertTrue(Files.exists(pred.resolve("overlay-00.png")));

        CommandRun e = run("evaluate", "--prediction", pred.resolve("labels").toString(), "--truth",
                data.resolve("train/label").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("mean"), e.out());

        CommandRun w = run("weightmap", "--label", data.resolve("train/label/00.png").toString(), "--out",
                dir.resolve("w.tif").toString());
        assertEquals(0, w.code(), w.err());
        GrayImage wm = ImageIo.read(dir.resolve("w.tif"));
        assertEquals(BitDepth.FLOAT32, wm.depth());
    }

    @Test
    void recomputingActivationsTrainsTheSameLosses(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 3, 40);
        List<List<String>> losses = new ArrayList<>();
        for (String mode : new String[] {"KEEP", "RECOMPUTE"}) {
            Path out = dir.resolve(mode);
            CommandRun t = run(train(data, out, "--activations", mode));
            assertEquals(0, t.code(), t.err());
            losses.add(Files.readAllLines(out.resolve("training-log.csv")).stream()
                    .map(line -> line.split(",")[1]).toList());
        }
        assertEquals(5, losses.get(0).size(), "header and 4 steps");
        assertEquals(losses.get(0), losses.get(1));
    }

    @Test
    void missingDataFolder(@TempDir Path dir) {
        Path out = dir.resolve("run");
        assertOneLineError(run(train(dir.resolve("nothing"), out)), "nothing", "no such folder");
        assertFalse(Files.exists(out), "no output folder for a failed run");
    }

    @Test
    void corruptImage(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 2, 40);
        Files.writeString(data.resolve("train/image/01.png"), "not a png");
        Path out = dir.resolve("run");
        assertOneLineError(run(train(data, out)), "01.png");
        assertFalse(Files.exists(out));
    }

    @Test
    void labelOfAnotherSize(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 2, 40);
        ImageIo.write(GrayImage.ofInts(30, 40, new int[30 * 40], BitDepth.EIGHT), data.resolve("train/label/00.png"));
        assertOneLineError(run(train(data, dir.resolve("run"))), "00.png", "30x40", "40x40");
    }

    @Test
    void labelValuesThatAreNotClasses(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 2, 40);
        int[] v = new int[40 * 40];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 3 * 100;
        }
        ImageIo.write(GrayImage.ofInts(40, 40, v, BitDepth.EIGHT), data.resolve("train/label/01.png"));
        assertOneLineError(run(train(data, dir.resolve("run"))), "01.png", "label has 3 values (0, 100, 200)");
    }

    @Test
    void missingLabel(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 2, 40);
        Files.delete(data.resolve("train/label/01.png"));
        assertOneLineError(run(train(data, dir.resolve("run"))), "01.png", "no label for this image");
    }

    @Test
    void nonImageFileInTheFolder(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 2, 40);
        Files.writeString(data.resolve("train/image/notes.txt"), "hello");
        assertOneLineError(run(train(data, dir.resolve("run"))), "notes.txt", "not a .png or .tif image");
    }

    @Test
    void invalidTileSize(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 2, 40);
        String[] args = train(data, dir.resolve("run"));
        args[java.util.Arrays.asList(args).indexOf("26")] = "27";
        assertOneLineError(run(args), "27", "nearest valid sizes", "26");
    }

    @Test
    void checkpointOfAnotherConfiguration(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 2, 40);
        Path out = Files.createDirectories(dir.resolve("run"));
        UNet other = new UNet(UNetConfig.paper().withDepth(2).withBaseChannels(4).withDropout(0), DataType.FLOAT, 1);
        Checkpoint.save(out.resolve("model.zip"), other, null, 3, Map.of());
        assertOneLineError(run(train(data, out, "--resume")), "inc.conv1.weight", "[4, 1, 3, 3]", "[2, 1, 3, 3]");
    }

    @Test
    void corruptCheckpoint(@TempDir Path dir) throws IOException {
        Path ck = dir.resolve("model.zip");
        Files.writeString(ck, "garbage");
        Path out = dir.resolve("pred");
        assertOneLineError(run("predict", "--checkpoint", ck.toString(), "--out", out.toString()), "model.zip");
        assertFalse(Files.exists(out));
    }

    @Test
    void unwritableOutput(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), 2, 40);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertOneLineError(run(train(data, file.resolve("run"))), "a-file");
        CommandRun w = run("weightmap", "--label", data.resolve("train/label/00.png").toString(), "--out",
                file.resolve("w.png").toString());
        assertOneLineError(w, "w.png");
    }
}
