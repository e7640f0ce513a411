package io.github.unet4j.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.io.CheckpointException;
import io.github.unet4j.core.io.ModelFile;
import io.github.unet4j.core.ops.Softmax;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A program that only segments, on unet-core alone (this module's test class path has no
 * unet-train): it reads a checkpoint the trainer wrote (the golden file of unet-train's format
 * tests, optimiser state included), builds the network and segments an image larger than a tile.
 */
class SegmentOnlyTest {

    private static Path golden() throws Exception {
        URL url = SegmentOnlyTest.class.getResource("golden-v1.zip");
        assertNotNull(url, "golden-v1.zip missing from the test resources");
        return Paths.get(url.toURI());
    }

    @Test
    void theTrainingModuleIsNotOnThisClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.github.unet4j.train.Trainer"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.github.unet4j.train.checkpoint.Checkpoint"));
    }

    @Test
    void readsATrainersCheckpointAndSegmentsAnImageLargerThanATile() throws Exception {
        ModelFile m = ModelFile.read(golden());
        assertEquals(7, m.step());
        assertEquals("42", m.metadata().get("seed"));
        UNet net = m.toNetwork(DataType.FLOAT);
        // Parameter k element i was stored as (k + 1) + i / 1000 (GoldenCheckpointTest).
        assertEquals(1.005f, net.parameters().get(0).value().getFloat(0, 0, 1, 2), 0f);
        assertEquals(m.parameters().size() + m.buffers().size(), net.stateDict().size());
        // The golden file's running variances are negative (made-up values): give the batch norms
        // real statistics through a state dict, as a user moving weights in from elsewhere would.
        java.util.Map<String, INDArray> state = new java.util.LinkedHashMap<>();
        net.stateDict().forEach((name, v) -> state.put(name, name.endsWith("running_var") ? Nd4j.onesLike(v)
                : name.endsWith("running_mean") ? Nd4j.zerosLike(v) : v.mul(0.01)));
        net.loadStateDict(state);
        assertEquals(0.01005f, net.parameters().get(0).value().getFloat(0, 0, 1, 2), 1e-9f);

        int tile = net.config().validInputSizeAtLeast(24);
        int margin = (tile - net.config().outputSize(tile)) / 2;
        int h = 19;
        int w = 23;
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, h, w).subi(0.5);
        INDArray p = new OverlapTile(UNetTileModel.of(net, tile), 2).predict(image);
        assertArrayEquals(new long[] {2, h, w}, p.shape());
        assertTrue(p.sum(0).sub(1).amaxNumber().doubleValue() < 1e-5, "probabilities sum to 1 at every pixel");

        // The same as one pass over the image mirrored by the network's margin, when that is a valid size.
        int ph = net.config().validInputSizeAtLeast(h + 2 * margin);
        int pw = net.config().validInputSizeAtLeast(w + 2 * margin);
        float[] padded = MirrorPad.pad(image.dup('c').data().asFloat(), w, h, margin, ph - h - margin, margin,
                pw - w - margin);
        INDArray whole = Softmax.probabilities(net.forward(Nd4j.create(padded, new long[] {1, 1, ph, pw},
                DataType.FLOAT), Mode.INFER));
        INDArray expected = whole.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, h),
                NDArrayIndex.interval(0, w));
        assertTrue(expected.equalsWithEps(p, 1e-5), "tiled = one pass");
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefusedByName(@TempDir Path dir) throws Exception {
        ModelFile m = ModelFile.read(golden());
        UNet other = new UNet(m.config().withBaseChannels(4), DataType.FLOAT, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadInto(other));
        assertTrue(e.getMessage().startsWith("checkpoint " + golden() + ": parameter inc.conv1.weight has shape "
                + "[2, 1, 3, 3] but the network expects [4, 1, 3, 3]"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip");
        CheckpointException ce = assertThrows(CheckpointException.class, () -> ModelFile.read(junk));
        assertTrue(ce.getMessage().startsWith("checkpoint " + junk + ": not a zip file"), ce.getMessage());
    }
}
