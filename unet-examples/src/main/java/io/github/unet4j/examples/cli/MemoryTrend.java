package io.github.unet4j.examples.cli;

/**
 * Resident memory sampled during a run of training steps, and its least-squares trend. Two
 * readings (before and after) cannot tell a leak from the allocator's swing: glibc's arenas
 * grow and shrink by a hundred MB from step to step with no trend, so the difference of two
 * readings lands anywhere within that swing. A fitted slope over many samples, with its
 * standard error, can.
 *
 * @param steps the step count at each sample, ascending
 * @param kb    the resident set size at each sample, in KiB
 */
record MemoryTrend(long[] steps, long[] kb) {

    MemoryTrend {
        if (steps.length != kb.length) {
            throw new IllegalArgumentException("MemoryTrend: " + steps.length + " steps but " + kb.length
                    + " readings; give one reading per step count");
        }
        if (steps.length < 3) {
            throw new IllegalArgumentException("MemoryTrend: " + steps.length + " samples; a slope and its error "
                    + "need at least 3");
        }
        steps = steps.clone();
        kb = kb.clone();
    }

    /** @return the least-squares slope in KiB per step */
    double slopeKbPerStep() {
        double mx = mean(steps);
        double my = mean(kb);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < steps.length; i++) {
            sxy += (steps[i] - mx) * (kb[i] - my);
            sxx += (steps[i] - mx) * (steps[i] - mx);
        }
        if (sxx == 0) {
            throw new IllegalStateException("MemoryTrend: every sample is at step " + steps[0]);
        }
        return sxy / sxx;
    }

    /** @return the standard error of {@link #slopeKbPerStep()} (residuals over n - 2 degrees of freedom) */
    double slopeStandardErrorKbPerStep() {
        double b = slopeKbPerStep();
        double mx = mean(steps);
        double a = mean(kb) - b * mx;
        double rss = 0;
        double sxx = 0;
        for (int i = 0; i < steps.length; i++) {
            double r = kb[i] - (a + b * steps[i]);
            rss += r * r;
            sxx += (steps[i] - mx) * (steps[i] - mx);
        }
        return Math.sqrt(rss / (steps.length - 2) / sxx);
    }

    long minKb() {
        long m = Long.MAX_VALUE;
        for (long v : kb) {
            m = Math.min(m, v);
        }
        return m;
    }

    long maxKb() {
        long m = Long.MIN_VALUE;
        for (long v : kb) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** @return e.g. {@code "+1.2 MB per 100 steps (± 3.4)"}: the slope and twice its standard error, MiB */
    String describePer100Steps() {
        return String.format("%+.1f MB per 100 steps (± %.1f)", slopeKbPerStep() * 100 / 1024.0,
                2 * slopeStandardErrorKbPerStep() * 100 / 1024.0);
    }

    private static double mean(long[] v) {
        double s = 0;
        for (long x : v) {
            s += x;
        }
        return s / v.length;
    }
}
