package io.github.unet4j.examples.cli;

import io.github.unet4j.core.BufferPool;
import io.github.unet4j.train.StepResult;
import io.github.unet4j.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code unet train --memory-log FILE}: the process's memory every {@link #EVERY} steps, as CSV
 * ({@code step,rss_mb,heap_resident_mb,native_mb,heap_committed_mb,heap_used_mb,pool_idle_mb}):
 * resident memory from the kernel, the resident part of the Java heap
 * ({@link ProcessMemory#heapResidentKb()}), the rest (native: ND4J's arrays, libraries, malloc's
 * heaps), the heap as the runtime sees it and the idle part of the buffer pool, so that growth
 * can be told apart as heap or native. At the end, the least-squares trend of each over the run's later part.
 */
final class MemoryLog implements TrainingListener {
    static final int EVERY = 10;
    private static final String HEADER = "step,rss_mb,heap_resident_mb,native_mb,heap_committed_mb,heap_used_mb,"
            + "pool_idle_mb";

    private final Path file;
    private final Writer out;
    private final List<long[]> rows = new ArrayList<>();

    MemoryLog(Path file) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(HEADER + "\n");
        out.flush();
    }

    @Override
    public void onStep(StepResult r) {
        if (r.step() % EVERY != 0) {
            return;
        }
        Runtime rt = Runtime.getRuntime();
        long rss = ProcessMemory.now().currentKb() * 1024;
        long heap = ProcessMemory.heapResidentKb() * 1024;
        long[] row = {r.step(), rss, heap, rss - heap, rt.totalMemory(), rt.totalMemory() - rt.freeMemory(),
            BufferPool.pooledBytes()};
        rows.add(row);
        StringBuilder sb = new StringBuilder().append(row[0]);
        for (int k = 1; k < row.length; k++) {
            sb.append(',').append(String.format(java.util.Locale.ROOT, "%.1f", row[k] / 1048576.0));
        }
        try {
            out.write(sb.append('\n').toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(file + ": cannot write the memory log: " + e.getMessage(), e));
        }
    }

    /**
     * @param fromStep the first step of the fit
     * @return the trends per 1,000 steps of resident memory, its heap part and its native part
     *         from that step on, or why there are none
     */
    String trends(long fromStep) {
        List<long[]> later = rows.stream().filter(r -> r[0] >= fromStep).toList();
        if (later.size() < 3) {
            return "memory: too few samples after step " + fromStep + " for a trend";
        }
        String[] names = {"resident", "heap resident", "native"};
        int[] cols = {1, 2, 3};
        StringBuilder sb = new StringBuilder("memory from step " + fromStep + " to " + later.get(later.size() - 1)[0]
                + ", per 1,000 steps:");
        for (int k = 0; k < cols.length; k++) {
            long[] steps = new long[later.size()];
            long[] kb = new long[later.size()];
            for (int i = 0; i < later.size(); i++) {
                steps[i] = later.get(i)[0];
                kb[i] = later.get(i)[cols[k]] / 1024;
            }
            MemoryTrend t = new MemoryTrend(steps, kb);
            sb.append(String.format(" %s %+.1f MB (± %.1f; %s to %s)%s", names[k], t.slopeKbPerStep() * 1000 / 1024,
                    2 * t.slopeStandardErrorKbPerStep() * 1000 / 1024, ProcessMemory.mb(t.minKb()),
                    ProcessMemory.mb(t.maxKb()), k + 1 < cols.length ? "," : ""));
        }
        return sb.toString();
    }

    @Override
    public void onTrainingEnd(long step) {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
