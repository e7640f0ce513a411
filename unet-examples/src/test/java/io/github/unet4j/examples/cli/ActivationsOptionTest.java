package io.github.unet4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.ops.Precision;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** {@code --activations auto}: the fastest mode whose training step fits in the memory available. */
class ActivationsOptionTest {
    private static final long[] SHAPE = {1, 1, 92, 92};
    private static final long EXTRA = 1000;

    private static long need(UNet net, Activations a) {
        net.setActivations(a);
        return net.peakBytes(SHAPE, Mode.TRAIN) + EXTRA;
    }

    @Test
    void autoTakesTheFastestModeThatFits() {
        UNet net = new UNet(new UNetConfig(1, 2, 3, 8, io.github.unet4j.core.Padding.VALID, false, 0,
                io.github.unet4j.core.Upsampling.TRANSPOSED), DataType.FLOAT, 1);
        long keep = need(net, Activations.KEEP);
        long bf16 = need(net, Activations.KEEP_BF16);
        long recompute = need(net, Activations.RECOMPUTE);
        // This network's estimates (PeakBytesTest prints them): RECOMPUTE needs the least, then KEEP_BF16.
        assertTrue(recompute < bf16 && bf16 < keep, keep + " " + bf16 + " " + recompute);
        ActivationsOption auto = new ActivationsOption();
        assertEquals(Activations.KEEP, auto.resolve(Precision.BF16, net, SHAPE, EXTRA, keep));
        assertEquals(Activations.KEEP, net.activations(), "the network is set to the answer");
        assertEquals(Activations.KEEP_BF16, auto.resolve(Precision.BF16, net, SHAPE, EXTRA, keep - 1),
                "bf16 convolutions round what they read anyway: bfloat16 activations next");
        assertEquals(Activations.KEEP_BF16, net.activations());
        assertEquals(Activations.RECOMPUTE, auto.resolve(Precision.FP32, net, SHAPE, EXTRA, keep - 1),
                "in fp32, the exact mode next");
        assertEquals(Activations.KEEP_BF16, auto.resolve(Precision.BF16, net, SHAPE, EXTRA, bf16));
        assertEquals(Activations.RECOMPUTE, auto.resolve(Precision.BF16, net, SHAPE, EXTRA, bf16 - 1),
                "bf16, when only RECOMPUTE fits");
        assertEquals(Activations.RECOMPUTE, auto.resolve(Precision.BF16, net, SHAPE, EXTRA, 0),
                "none fits: the leanest, whose need the memory check then names");
        net.setActivations(Activations.KEEP);
        assertEquals(Activations.RECOMPUTE, auto.resolve(Precision.FP32, net, SHAPE, EXTRA, 0));
    }

    @Test
    void aModeGivenIsTakenAsItIsAndAnUnknownOneNamesTheChoices() {
        UNet net = new UNet(UNetConfig.paper().withDepth(2).withBaseChannels(2), DataType.FLOAT, 1);
        ActivationsOption given = new ActivationsOption();
        given.activations = "keep_bf16";
        assertEquals(Activations.KEEP_BF16, given.resolve(Precision.FP32, net, new long[] {1, 1, 44, 44}, 0, 0),
                "given: whether it fits is the memory check's to say");
        given.activations = "SOMETIMES";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, given::check);
        assertEquals("--activations SOMETIMES: not known; use KEEP, KEEP_BF16, RECOMPUTE or auto", e.getMessage());
    }
}
