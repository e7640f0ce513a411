package io.github.unet4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.io.ImageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unet predict} choosing its tile per image: the same maps as the training tile, within a memory limit. */
class PredictTilesCliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    @BeforeAll
    static void train() throws IOException {
        data = CliTest.dataset(dir.resolve("data"), 3, 40);
        CommandRun t = CommandRun.of(CliTest.train(data, dir.resolve("run")));
        assertEquals(0, t.code(), t.err());
        model = dir.resolve("run/model.zip");
    }

    private float[] predict(String name, String... more) throws IOException {
        Path out = dir.resolve(name);
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("predict", "--checkpoint",
                model.toString(), "--input", data.resolve("train/image").toString(), "--out", out.toString(),
                "--format", "tiff"), java.util.stream.Stream.of(more)).toArray(String[]::new);
        CommandRun r = CommandRun.of(args);
        assertEquals(0, r.code(), r.err());
        return ImageIo.read(out.resolve("probabilities/02.tif")).pixels();
    }

    @Test
    void theChosenTileGivesTheTrainingTilesMaps() throws IOException {
        // Trained with tile 26 (output 10): a 40x40 image takes 16 tiles; the covering tile is 56.
        float[] training = predict("training", "--tile", "26");
        float[] chosen = predict("chosen");
        double max = 0;
        for (int i = 0; i < training.length; i++) {
            max = Math.max(max, Math.abs(training[i] - chosen[i]));
        }
        assertTrue(max <= 1e-5, "largest difference " + max);
    }

    @Test
    void aTileMemoryBelowOneMibIsAOneLineError() {
        CommandRun r = CommandRun.assertUsageError("--tile-memory", "predict", "--checkpoint", model.toString(),
                "--input", data.resolve("train/image").toString(), "--out", dir.resolve("small").toString(),
                "--tile-memory", "0");
        assertFalse(r.err().strip().contains("\n"), r.err());
        assertFalse(Files.exists(dir.resolve("small/probabilities")));
    }
}
