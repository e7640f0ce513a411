package io.github.unet4j.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.Upsampling;
import io.github.unet4j.core.io.CheckpointException;
import io.github.unet4j.core.io.ModelFile;
import io.github.unet4j.core.testing.TestTensors;
import java.nio.file.Path;
import java.util.Map;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** unet4j's own exports read back: the same configuration, tensors bit for bit, the checkpoint's metadata. */
class OnnxImportTest {
    private static final Path SOURCE = Path.of("model.onnx");

    @Test
    void anExportReadsBackBitForBit() throws Exception {
        UNetConfig config = new UNetConfig(2, 3, 3, 4, Padding.SAME, true, 0.3, Upsampling.BILINEAR);
        UNet net = new UNet(config, DataType.FLOAT, 8);
        TestTensors.nonZeroBiases(net.parameters(), 4);
        net.buffers().forEach(b -> b.value().assign(TestTensors.awayFromZero(2, DataType.FLOAT, b.value().shape())));
        byte[] bytes = OnnxExport.toBytes(net, OnnxExport.Options.defaults().withSoftmax(true)
                .withMetadata(Map.of("unet4j.checkpoint.tile", "64", "unet4j.checkpoint.step", "120")));
        ModelFile m = OnnxImport.read(SOURCE, bytes);
        assertEquals(config, m.config());
        assertEquals(120, m.step());
        assertEquals("64", m.metadata().get("tile"));
        UNet back = m.toNetwork(DataType.FLOAT);
        Map<String, INDArray> a = net.stateDict();
        Map<String, INDArray> b = back.stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).dup('c').data().asFloat(), b.get(k).dup('c').data().asFloat(), k);
        }
    }

    @Test
    void foldedBatchNormAndForeignModelsAreRefused() {
        UNet net = new UNet(new UNetConfig(1, 2, 2, 2, Padding.SAME, true, 0, Upsampling.TRANSPOSED),
                DataType.FLOAT, 1);
        byte[] folded = OnnxExport.toBytes(net, OnnxExport.Options.defaults()
                .withBatchNorm(OnnxExport.BatchNorm.FOLDED));
        CheckpointException e = assertThrows(CheckpointException.class, () -> OnnxImport.read(SOURCE, folded));
        assertTrue(e.getMessage().contains("--fold-batch-norm") && e.getMessage().contains("running_mean"),
                e.getMessage());
        byte[] foreign = Onnx.ModelProto.newBuilder().setIrVersion(7).build().toByteArray();
        e = assertThrows(CheckpointException.class, () -> OnnxImport.read(SOURCE, foreign));
        assertTrue(e.getMessage().contains("not exported by unet4j"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> OnnxImport.read(SOURCE, new byte[] {1, 2, 3, 4, 5}));
        assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
    }
}
