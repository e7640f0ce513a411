package io.github.unet4j.examples.cli;

import java.util.Arrays;

/** Wall-clock timing and medians for the benchmark. */
final class Stopwatch {
    private Stopwatch() {
    }

    /**
     * @param work what to time
     * @return its wall-clock time in seconds
     */
    static double seconds(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Runs {@code work} once untimed (JIT, oneDNN primitive creation, first allocations), then
     * {@code repeats} times timed.
     *
     * @param warmups untimed runs first
     * @param repeats timed runs, &gt;= 1
     * @param work    what to time
     * @return the median of the timed runs, in seconds
     */
    static double median(int warmups, int repeats, Runnable work) {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            t[i] = seconds(work);
        }
        return median(t);
    }

    /**
     * @param values at least one value
     * @return the median (the mean of the two middle values for an even count)
     */
    static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
