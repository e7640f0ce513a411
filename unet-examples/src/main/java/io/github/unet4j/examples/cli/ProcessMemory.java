package io.github.unet4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's resident memory as the kernel reports it in {@code /proc/self/status}. Unlike
 * {@link Runtime} figures it includes ND4J's off-heap buffers and the native libraries.
 *
 * @param peakKb    {@code VmHWM}: the highest resident set size so far, in KiB, or -1 if unknown
 * @param currentKb {@code VmRSS}: the resident set size now, in KiB, or -1 if unknown
 */
record ProcessMemory(long peakKb, long currentKb) {

    private static final Path STATUS = Path.of("/proc/self/status");

    /** @return the current figures; -1 for each on a system without {@code /proc} */
    static ProcessMemory now() {
        try {
            return parse(Files.readAllLines(STATUS));
        } catch (IOException | RuntimeException e) {
            return new ProcessMemory(-1, -1);
        }
    }

    /**
     * @param statusLines the lines of a {@code /proc/<pid>/status} file
     * @return the VmHWM and VmRSS values, -1 where a line is missing
     */
    static ProcessMemory parse(List<String> statusLines) {
        return new ProcessMemory(field(statusLines, "VmHWM:"), field(statusLines, "VmRSS:"));
    }

    private static long field(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                // "VmHWM:	  123456 kB"
                String[] parts = line.substring(key.length()).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        return -1;
    }

    /**
     * @param kb a size in KiB, or negative for unknown
     * @return e.g. {@code "1,234 MB"} (MiB), or {@code "n/a"}
     */
    static String mb(long kb) {
        return kb < 0 ? "n/a" : String.format("%,d MB", Math.round(kb / 1024.0));
    }
}
