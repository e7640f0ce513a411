package io.github.unet4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Without unet4j-onednn on the class path (this module's tests): ND4J's ops, float32 only. */
class AcceleratorsTest {
    @Test
    void withoutTheAcceleratorTheFastestPrecisionIsFp32AndBf16IsRefused() {
        assertNull(Accelerators.conv());
        assertEquals(Precision.FP32, Accelerators.fastest());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Accelerators.setPrecision(Precision.BF16));
        assertTrue(e.getMessage().contains("unet4j-onednn") && e.getMessage().contains("use precision fp32"),
                e.getMessage());
    }

    /** Without the accelerator, auto is fp32 direct; a given choice is kept and refused by set, naming which half. */
    @Test
    void withoutTheAcceleratorAutoIsFp32DirectAndSetRefusesTheRest() {
        assertEquals(new Accelerators.Choice(Precision.FP32, ConvAlgorithm.DIRECT), Accelerators.choose(null, null));
        assertEquals(new Accelerators.Choice(Precision.BF16, ConvAlgorithm.DIRECT),
                Accelerators.choose(Precision.BF16, null));
        assertEquals(new Accelerators.Choice(Precision.FP32, ConvAlgorithm.WINOGRAD),
                Accelerators.choose(null, ConvAlgorithm.WINOGRAD));
        Accelerators.set(Accelerators.choose(null, null));
        assertEquals(Precision.FP32, Accelerators.precision());
        assertEquals(ConvAlgorithm.DIRECT, Accelerators.algorithm());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> Accelerators.set(new Accelerators.Choice(Precision.BF16, ConvAlgorithm.DIRECT)));
        assertTrue(p.getMessage().startsWith("precision bf16"), p.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> Accelerators.set(new Accelerators.Choice(Precision.FP32, ConvAlgorithm.WINOGRAD)));
        assertTrue(a.getMessage().startsWith("convolution algorithm winograd"), a.getMessage());
    }
}
