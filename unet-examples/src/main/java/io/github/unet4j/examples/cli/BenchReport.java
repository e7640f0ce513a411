package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.Upsampling;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The bench's report part: the measurements and how they are printed. */
final class BenchReport {
    /**
     * Times of one kind of run and of its floor, one pair per round.
     *
     * @param runs   median seconds in each round
     * @param floors floor seconds in each round (a sum of medians)
     */
    record Measured(double[] runs, double[] floors) {
        double median() {
            return Stopwatch.median(runs);
        }

        double floor() {
            return Stopwatch.median(floors);
        }

        /** @return the median over rounds of run / floor, each pair measured seconds apart */
        double ratio() {
            double[] r = new double[runs.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = runs[i] / floors[i];
            }
            return Stopwatch.median(r);
        }
    }

    /**
     * The measurements of one configuration.
     *
     * @param peakKb     VmHWM right after the warm-up training steps
     * @param inUseBytes the most bytes of the network's arrays in use at once during a step
     */
    record Row(String label, long parameters, Measured train, Measured forward, long peakKb, long inUseBytes,
            List<ConvFloor.Timing> convs, Cold cold) {
    }

    /**
     * The same runs against the cold floor ({@code --cold-floor-mb}).
     *
     * @param train   training steps against the cold training floor
     * @param forward forward passes against the cold forward floor
     * @param convs   each convolution's cold times, in the order of the row's
     */
    record Cold(Measured train, Measured forward, List<ConvFloor.Timing> convs) {
    }

    private final PrintWriter out;

    BenchReport(PrintWriter out) {
        this.out = out;
    }

    /** The table of rows, what the columns mean, the cold floor, memory growth, overlap-tile, per layer. */
    void print(List<Row> rows, int coldFloorMb, String memoryLine, String overlapLine, boolean perLayer) {
        print(rows, coldFloorMb, memoryLine, overlapLine, perLayer, 0, List.of());
    }

    /**
     * As above, with the arithmetic rate against the CPU's peak and PyTorch's times per row.
     *
     * @param peakGflops the CPU's measured peak in GFLOP/s, or 0 if not given
     * @param peers      PyTorch's results per row (empty without {@code --pytorch})
     */
    void print(List<Row> rows, int coldFloorMb, String memoryLine, String overlapLine, boolean perLayer,
            double peakGflops, List<List<PeerBench.Result>> peers) {
        out.println();
        out.printf("%-40s %12s %11s %9s %6s %9s %9s %6s %10s %10s%n", "configuration", "parameters", "train step",
                "floor", "ratio", "forward", "floor", "ratio", "peak RSS", "arrays");
        for (Row r : rows) {
            // VmHWM only grows: after the main configuration's floor it is no longer a later row's peak.
            String peak = r == rows.get(0) ? ProcessMemory.mb(r.peakKb()) : "n/a";
            out.printf("%-40s %,12d %9.3f s %7.3f s %6.2f %7.3f s %7.3f s %6.2f %10s %10s%n", r.label(), r.parameters(),
                    r.train().median(), r.train().floor(), r.train().ratio(), r.forward().median(),
                    r.forward().floor(), r.forward().ratio(), peak, ProcessMemory.mb(r.inUseBytes() / 1024));
        }
        out.println("floor = the network's convolutions timed alone with the same layers and ops as the network "
                + "(oneDNN's with the accelerator, else ND4J's conv2d and deconv2d): forward floor = sum of their forward medians, training floor = sum of "
                + "forward and backward medians; each round times training steps, forward "
                + "passes and the floor one after the other; printed: medians over rounds, ratio = median over "
                + "rounds of the round's measured / floor");
        out.println("peak RSS = VmHWM of this process right after the main configuration's warm-up steps (includes "
                + "off-heap memory, the JVM and native libraries; the main configuration runs first, and its floor's "
                + "layers raise VmHWM for the rows after it); arrays = the most "
                + "memory the network's activations and gradients held at once in a step");
        if (coldFloorMb > 0) {
            out.printf("cold floor = the floor with a pass over %,d MiB before each timed run of a convolution, so "
                    + "that its weights, input and output come from memory rather than the caches:%n", coldFloorMb);
            for (Row r : rows) {
                Cold c = r.cold();
                out.printf("  %-40s training %.3f s, step / cold floor %.2f; forward %.3f s, forward / cold floor "
                        + "%.2f%n", r.label(), c.train().floor(), c.train().ratio(), c.forward().floor(),
                        c.forward().ratio());
            }
        }
        printArithmetic(rows, peakGflops);
        if (!peers.isEmpty()) {
            printPeers(rows, peers);
        }
        out.println(memoryLine);
        if (overlapLine != null) {
            out.println(overlapLine);
        }
        ProcessMemory end = ProcessMemory.now();
        out.printf("process memory at the end: VmHWM %s, VmRSS %s%n", ProcessMemory.mb(end.peakKb()),
                ProcessMemory.mb(end.currentKb()));
        if (perLayer) {
            for (Row r : rows) {
                printConvs(out, r);
            }
        }
    }

    /** @return the forward FLOPs of a row's convolutions (a training step does 3x: forward, dL/dx, dL/dW) */
    static double forwardFlops(Row r) {
        return r.convs().stream().mapToDouble(t -> t.site().forwardFlops()).sum();
    }

    private void printArithmetic(List<Row> rows, double peakGflops) {
        out.println("arithmetic = the convolutions' FLOPs counted from the network's shapes (2 per multiply-add; a "
                + "training step 3x the forward's: forward, dL/dx, dL/dW) over the median time"
                + (peakGflops > 0 ? String.format(Locale.ROOT, ", and its fraction of this CPU's peak of %.0f GFLOP/s "
                        + "(float32 FMA, --peak-gflops)", peakGflops) : " (this CPU's peak: not given; measure it "
                        + "with tools/bench/fma.c and pass --peak-gflops)") + ":");
        for (Row r : rows) {
            double f = forwardFlops(r) / 1e9;
            double step = 3 * f / r.train().median();
            double fwd = f / r.forward().median();
            out.printf(Locale.ROOT, "  %-40s step %.1f GFLOP at %.0f GFLOP/s%s; forward %.1f GFLOP at %.0f GFLOP/s%s%n",
                    r.label(), 3 * f, step, peakGflops > 0 ? String.format(Locale.ROOT, " (%.0f%%)", 100 * step
                    / peakGflops) : "", f, fwd, peakGflops > 0 ? String.format(Locale.ROOT, " (%.0f%%)", 100 * fwd
                    / peakGflops) : "");
        }
    }

    private void printPeers(List<Row> rows, List<List<PeerBench.Result>> peers) {
        out.println("PyTorch, the same network, run right after in a child process (--pytorch): training step / "
                + "forward, and this run's time over PyTorch's:");
        for (int i = 0; i < rows.size() && i < peers.size(); i++) {
            Row r = rows.get(i);
            StringBuilder b = new StringBuilder();
            for (PeerBench.Result p : peers.get(i)) {
                b.append(String.format(Locale.ROOT, "; %s (x%.2f, x%.2f)", PeerBench.describe(p),
                        r.train().median() / p.trainStep(), r.forward().median() / p.forward()));
            }
            out.printf("  %-40s %s%n", r.label(), b.substring(2));
        }
    }

    private static void printConvs(PrintWriter out, Row r) {
        out.println();
        out.println("floor per convolution, " + r.label() + ":");
        List<ConvFloor.Timing> cold = r.cold() == null ? null : r.cold().convs();
        out.printf("  %-22s %-9s %-22s %12s %12s%s%n", "layer", "op", "input", "forward", "backward",
                cold == null ? "" : String.format(" %12s %12s", "cold fwd", "cold bwd"));
        for (int i = 0; i < r.convs().size(); i++) {
            ConvFloor.Timing t = r.convs().get(i);
            ConvFloor.Site s = t.site();
            out.printf("  %-22s %-9s %-22s %9.1f ms %9.1f ms%s%n", s.name(), s.op(), Arrays.toString(s.inputShape()),
                    t.forward() * 1e3, t.backward() * 1e3, cold == null ? ""
                            : String.format(" %9.1f ms %9.1f ms", cold.get(i).forward() * 1e3,
                                    cold.get(i).backward() * 1e3));
        }
    }

    static String label(UNetConfig c, int size, Activations activations) {
        StringBuilder b = new StringBuilder();
        b.append("depth ").append(c.depth()).append(", ").append(c.baseChannels()).append(" ch, tile ").append(size);
        if (c.padding() != Padding.VALID) {
            b.append(", ").append(c.padding());
        }
        if (c.batchNorm()) {
            b.append(", BN");
        }
        if (c.upsampling() != Upsampling.TRANSPOSED) {
            b.append(", ").append(c.upsampling());
        }
        if (activations == Activations.RECOMPUTE) {
            b.append(", recompute");
        } else if (activations == Activations.KEEP_BF16) {
            b.append(", bf16 activations");
        }
        return b.toString();
    }
}
