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

    /**
     * The resident part of the Java heap: the {@code Rss} of the anonymous mappings in
     * {@code /proc/self/smaps} that make up the heap's reservation ({@code -Xmx}, one contiguous
     * address range for HotSpot's collectors, in committed and uncommitted pieces): the largest
     * contiguous anonymous mappings that add up to the maximum heap size.
     * With {@link #currentKb()} it tells heap growth from native growth.
     *
     * @return KiB, or -1 if unknown
     */
    static long heapResidentKb() {
        try {
            return heapRss(Files.readAllLines(Path.of("/proc/self/smaps")), Runtime.getRuntime().maxMemory() / 1024);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** One mapping of an smaps file: [start, end) in bytes, whether it maps a file, its Rss in KiB. */
    private record Mapping(long start, long end, boolean anonymous, long rssKb) {
        long sizeKb() {
            return (end - start) / 1024;
        }
    }

    /**
     * @param smaps     the lines of a {@code /proc/<pid>/smaps} file
     * @param maxHeapKb the heap's reservation, KiB
     * @return the summed {@code Rss} (KiB) of the heap's mappings, -1 if no run of mappings has the heap's size
     */
    static long heapRss(List<String> smaps, long maxHeapKb) {
        List<Mapping> maps = new java.util.ArrayList<>();
        long start = -1;
        long end = -1;
        boolean anonymous = false;
        for (String line : smaps) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] f = line.trim().split("\\s+");
                String[] range = f[0].split("-");
                start = Long.parseUnsignedLong(range[0], 16);
                end = Long.parseUnsignedLong(range[1], 16);
                anonymous = f.length < 6;
            } else if (line.startsWith("Rss:") && start >= 0) {
                maps.add(new Mapping(start, end, anonymous, Long.parseLong(line.substring(4).trim().split("\\s+")[0])));
                start = -1;
            }
        }
        // The heap is the run of contiguous anonymous mappings whose sizes add up to the maximum
        // heap (G1 reserves exactly that, in pieces as it commits and uncommits regions); the
        // class space may follow it directly, so a run is cut at that size.
        // Within 16 MB: the reservation's last region may be mapped apart (seen: 8 MB short).
        long slackKb = 16384;
        for (int i = 0; i < maps.size(); i++) {
            long size = 0;
            long rss = 0;
            for (int j = i; j < maps.size() && maps.get(j).anonymous()
                    && (j == i || maps.get(j).start() == maps.get(j - 1).end()); j++) {
                size += maps.get(j).sizeKb();
                rss += maps.get(j).rssKb();
                if (size >= maxHeapKb - slackKb && size <= maxHeapKb + slackKb) {
                    return rss;
                }
                if (size > maxHeapKb + slackKb) {
                    break;
                }
            }
        }
        return -1;
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
