package io.github.unet4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The glibc trim threshold of the memory-lean mode. */
class NativeMemoryTest {

    @Test
    void setsTheTrimThresholdOnLinuxUnlessTheEnvironmentDoes() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        String state = NativeMemory.tune();
        if (System.getenv(NativeMemory.ENV) != null) {
            assertTrue(state.contains("from " + NativeMemory.ENV), state);
        } else {
            assertEquals("malloc: trim threshold " + NativeMemory.TRIM_THRESHOLD + " bytes (mallopt)", state);
        }
        assertEquals(state, NativeMemory.describe());
    }
}
