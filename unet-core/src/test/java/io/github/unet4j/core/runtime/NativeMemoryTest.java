package io.github.unet4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The malloc settings applied at start-up. */
class NativeMemoryTest {

    @Test
    void setsTheMmapThresholdAndArenasOnLinuxUnlessTheEnvironmentDoes() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        String state = NativeMemory.tune();
        if (NativeMemory.ENV.stream().anyMatch(v -> System.getenv(v) != null)) {
            assertTrue(state.startsWith("malloc: as the environment sets it"), state);
        } else {
            assertEquals("malloc: mmap threshold " + NativeMemory.MMAP_THRESHOLD + " bytes, " + NativeMemory.ARENA_MAX
                    + " arenas (mallopt), trimmed after each native-garbage collection", state);
        }
        assertEquals(state, NativeMemory.describe());
    }
}
