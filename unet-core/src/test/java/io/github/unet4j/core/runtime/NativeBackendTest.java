package io.github.unet4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choice of native build from CPU flags. */
class NativeBackendTest {

    @Test
    void fastestSupportedLevel() {
        assertEquals(NativeBackend.Level.AVX512,
                NativeBackend.Level.best(Set.of("avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl")));
        assertEquals(NativeBackend.Level.AVX2, NativeBackend.Level.best(Set.of("avx2", "fma", "avx512f")));
        assertEquals(NativeBackend.Level.GENERIC, NativeBackend.Level.best(Set.of("sse4_2", "avx")));
    }

    @Test
    void readsFlagsFromCpuinfo(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, "processor\t: 0\nflags\t\t: fpu sse2 avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu\n");
        assertEquals(Set.of("fpu", "sse2", "avx2", "fma"), NativeBackend.cpuFlags(f));
        assertEquals(Set.of(), NativeBackend.cpuFlags(dir.resolve("missing")));
    }
}
