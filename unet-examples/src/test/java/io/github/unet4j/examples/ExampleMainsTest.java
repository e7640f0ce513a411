package io.github.unet4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.examples.cli.CliTestData;
import io.github.unet4j.train.checkpoint.Checkpoint;
import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.ImageIo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example mains run end to end on a small data folder of the ISBI layout. */
class ExampleMainsTest {

    @Test
    void isbiTrainThenPredict(@TempDir Path dir) throws Exception {
        Path data = CliTestData.dataset(dir.resolve("data"), 4, 64);
        Path ckpt = dir.resolve("model.zip");
        IsbiTrain.main(new String[] {"2", ckpt.toString(), data.toString()});
        assertEquals(2, Checkpoint.load(ckpt).step());
        Path out = dir.resolve("pred");
        IsbiPredict.main(new String[] {ckpt.toString(), out.toString(), data.toString()});
        assertTrue(Files.exists(out.resolve("00.tif")));
        assertEquals(BitDepth.FLOAT32, ImageIo.read(out.resolve("03.tif")).depth());
        assertEquals(64, ImageIo.read(out.resolve("03.tif")).width());
    }
}
