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
}
