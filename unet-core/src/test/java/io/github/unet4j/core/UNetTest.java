package io.github.unet4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The paper configuration's shapes and counts (built, never trained), and the size rules. */
class UNetTest {

    @Test
    void paperNetworkHasThePapersShapesAndCounts() {
        UNet net = new UNet(UNetConfig.paper(), DataType.FLOAT, 1);
        assertEquals(31_030_658L, net.parameterCount());
        assertArrayEquals(new long[] {1, 2, 388, 388}, net.outputShape(new long[] {1, 1, 572, 572}));
        long convs = net.parameters().stream()
                .filter(p -> p.kind() == Parameter.Kind.WEIGHT && p.shape().length == 4).count();
        assertEquals(23, convs);
        assertEquals(23, UNetConfig.paper().convolutionLayers());
        assertArrayEquals(new int[] {64, 128, 256, 512, 1024}, UNetConfig.paper().channels());
    }

    @Test
    void paperSummaryFollowsTheFigure() {
        UNet net = new UNet(UNetConfig.paper(), DataType.FLOAT, 1);
        List<UNet.BlockSummary> rows = net.summary(new long[] {1, 1, 572, 572});
        assertEquals(List.of("inc", "down1", "down2", "down3", "down4", "dropout", "up1", "up2", "up3", "up4", "outc"),
                rows.stream().map(UNet.BlockSummary::name).toList());
        assertArrayEquals(new long[] {1, 64, 568, 568}, rows.get(0).outputShape());
        assertArrayEquals(new long[] {1, 1024, 28, 28}, rows.get(4).outputShape());
        assertArrayEquals(new long[] {1, 512, 52, 52}, rows.get(6).outputShape());
        assertArrayEquals(new long[] {1, 64, 388, 388}, rows.get(9).outputShape());
        assertEquals(net.parameterCount(), rows.stream().mapToLong(UNet.BlockSummary::parameters).sum());
        assertEquals(130, rows.get(10).parameters());
    }

    @Test
    void heInitialisationHasThePapersScale() {
        UNet net = new UNet(UNetConfig.paper(), DataType.FLOAT, 3);
        // inc.conv2: 3x3 over 64 channels, N = 576, std = sqrt(2/576) ~ 0.0589.
        Parameter w = net.parameters().stream().filter(p -> p.name().equals("inc.conv2.weight")).findFirst()
                .orElseThrow();
        assertEquals(576, w.fanIn());
        assertEquals(Math.sqrt(2.0 / 576), w.value().stdNumber().doubleValue(), 0.002);
        assertEquals(0, w.value().meanNumber().doubleValue(), 0.002);
        Parameter b = net.parameters().stream().filter(p -> p.name().equals("inc.conv2.bias")).findFirst()
                .orElseThrow();
        assertEquals(0, b.value().norm1Number().doubleValue());
    }

    @Test
    void sameSeedSameNetwork() {
        UNetConfig c = tiny();
        UNet a = new UNet(c, DataType.DOUBLE, 9);
        UNet b = new UNet(c, DataType.DOUBLE, 9);
        UNet d = new UNet(c, DataType.DOUBLE, 10);
        assertEquals(a.parameters().get(0).value(), b.parameters().get(0).value());
        assertFalse(a.parameters().get(0).value().equals(d.parameters().get(0).value()));
    }

    static UNetConfig tiny() {
        return UNetConfig.paper().withDepth(3).withBaseChannels(2).withDropout(0);
    }

    @Test
    void sizeRulesOfThePaperNetwork() {
        UNetConfig p = UNetConfig.paper();
        assertEquals(388, p.outputSize(572));
        assertTrue(p.isValidInputSize(572));
        assertFalse(p.isValidInputSize(570));
        assertEquals(572, p.validInputSizeAtLeast(570));
        assertEquals(556, p.validInputSizeAtMost(570));
        assertEquals(372, p.outputSize(556));
        // Consecutive valid sizes are 2^(depth-1) = 16 apart.
        assertEquals(List.of(556, 572, 588), p.validInputSizes(550, 590));
        assertEquals(16, p.inputSizeStep());
        assertEquals(188, p.validInputSizeAtLeast(1));
        assertEquals(184, p.outputShrink());
        for (int s : p.validInputSizes(1, 1000)) { // the rule exporters write down: min + k * step, out = in - shrink
            assertEquals(0, (s - 188) % 16, "size " + s);
            assertEquals(s - 184, p.outputSize(s));
        }
        assertEquals(p.validInputSizes(1, 1000).size(), (1000 - 188) / 16 + 1);
        assertEquals(0, p.withPadding(Padding.SAME).outputShrink());
        assertEquals(572, p.inputSizeForOutput(388));
        assertEquals(588, p.inputSizeForOutput(389));
        // Near Integer.MAX_VALUE there is no valid size above (the search used to wrap round to 44).
        assertEquals(-1, p.validInputSizeAtLeast(Integer.MAX_VALUE));
        assertEquals(2147483644, p.validInputSizeAtMost(Integer.MAX_VALUE));
        assertEquals("nearest valid sizes: 2147483644 (output 2147483460) below and none above",
                p.nearestValidHint(Integer.MAX_VALUE));
        ShapeException e = assertThrows(ShapeException.class, () -> p.outputSize(570));
        assertTrue(e.getMessage().contains("556") && e.getMessage().contains("572"), e.getMessage());
    }

    @Test
    void sizeRulesWithSamePadding() {
        UNetConfig s = UNetConfig.paper().withPadding(Padding.SAME);
        assertEquals(512, s.outputSize(512));
        assertFalse(s.isValidInputSize(500));
        assertEquals(List.of(496, 512), s.validInputSizes(490, 515));
    }

    @Test
    void outputSizeMatchesARealForwardPass() {
        UNetConfig c = tiny();
        UNet net = new UNet(c, DataType.FLOAT, 1);
        for (int s : c.validInputSizes(1, 60)) {
            INDArray y = net.forward(Nd4j.rand(DataType.FLOAT, 1, 1, s, s), Mode.INFER);
            assertEquals(c.outputSize(s), y.size(2), "input " + s);
        }
    }

    @Test
    void nonSquareInputs() {
        UNetConfig c = tiny();
        UNet net = new UNet(c, DataType.FLOAT, 1);
        int h = c.validInputSizeAtLeast(30);
        int w = c.validInputSizeAtLeast(h + 1);
        INDArray y = net.forward(Nd4j.rand(DataType.FLOAT, 2, 1, h, w), Mode.TRAIN);
        assertArrayEquals(new long[] {2, 2, c.outputSize(h), c.outputSize(w)}, y.shape());
        INDArray dx = net.backward(Nd4j.ones(DataType.FLOAT, y.shape()));
        assertArrayEquals(new long[] {2, 1, h, w}, dx.shape());
    }

    @Test
    void bilinearVariantShapes() {
        UNetConfig c = UNetConfig.paper().withUpsampling(Upsampling.BILINEAR);
        UNet net = new UNet(c, DataType.FLOAT, 1);
        assertArrayEquals(new long[] {1, 2, 388, 388}, net.outputShape(new long[] {1, 1, 572, 572}));
        assertEquals(19, c.convolutionLayers());
    }

    @Test
    void badInputsNameTheProblem() {
        UNet net = new UNet(tiny(), DataType.FLOAT, 1);
        int ok = tiny().validInputSizeAtLeast(40);
        ShapeException rank = assertThrows(ShapeException.class,
                () -> net.forward(Nd4j.rand(DataType.FLOAT, 1, ok, ok), Mode.INFER));
        assertTrue(rank.getMessage().contains("rank 3"), rank.getMessage());
        ShapeException ch = assertThrows(ShapeException.class,
                () -> net.forward(Nd4j.rand(DataType.FLOAT, 1, 3, ok, ok), Mode.INFER));
        assertTrue(ch.getMessage().contains("[1, 3, " + ok) && ch.getMessage().contains("expected [N, 1, H, W]"),
                ch.getMessage());
        ShapeException size = assertThrows(ShapeException.class,
                () -> net.forward(Nd4j.rand(DataType.FLOAT, 1, 1, ok, ok + 1), Mode.INFER));
        assertTrue(size.getMessage().contains("width " + (ok + 1)) && size.getMessage().contains("nearest valid"),
                size.getMessage());
        assertThrows(IllegalStateException.class, () -> new UNet(tiny(), DataType.FLOAT, 1)
                .backward(Nd4j.ones(DataType.FLOAT, 1, 2, 4, 4)));
    }

    @Test
    void configValidation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UNetConfig.paper().withDropout(1.2));
        assertTrue(e.getMessage().contains("1.2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UNetConfig.paper().withDepth(0));
        assertThrows(IllegalArgumentException.class, () -> UNetConfig.paper().withClasses(0));
        assertThrows(IllegalArgumentException.class, () -> UNetConfig.paper().withBaseChannels(-4));
    }
}
