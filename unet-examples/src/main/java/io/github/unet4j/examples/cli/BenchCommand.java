package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.runtime.NativeBackend;
import io.github.unet4j.core.runtime.NativeMemory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet bench}: training-step and forward times of the network against the time of its
 * convolutions alone (the floor), peak memory, memory growth over many steps and overlap-tile
 * inference of a whole image.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time training steps and forward passes of the network (default: the paper's, 572x572 tile) "
                + "and of a smaller configuration, against the floor: the network's convolutions timed alone "
                + "with the same ND4J ops. Also prints peak resident memory and, optionally, memory growth over "
                + "many training steps and the time to segment a whole image with overlap-tile inference.")
public final class BenchCommand implements Callable<Integer> {

    /**
     * Untimed training steps first: the network's buffer pool (core.BufferPool) settles over the
     * first two or three steps, after which every step reuses it; training runs thousands.
     */
    private static final int TRAIN_WARMUPS = 3;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Mixin
    PrecisionOption precision = new PrecisionOption("fp32", "auto");

    @Option(names = "--tile", description = "Input tile size of the main configuration (default: ${DEFAULT-VALUE}).")
    int tile = 572;

    @Option(names = "--batch", description = "Tiles per step (default: ${DEFAULT-VALUE}).")
    int batch = 1;

    @Option(names = "--repeats", description = "Timed runs per measurement in each round (training steps, "
            + "forward passes, each convolution alone, overlap-tile runs), each after one untimed run; medians "
            + "are printed (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--rounds", description = "Rounds of training steps, forward passes and the floor, one after "
            + "the other, for the main configuration; ratios are medians over rounds (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--small-rounds", description = "Rounds for the smaller configuration, whose rounds take "
            + "seconds: its ratios drift more from run to run at 3 (default: ${DEFAULT-VALUE}).")
    int smallRounds = 9;

    @Option(names = "--warmup-seconds", description = "Untimed training steps of each configuration for at least "
            + "this long (and at least 3): the JIT compiler and the buffer pool settle (default: ${DEFAULT-VALUE}).")
    int warmupSeconds = 5;

    @Option(names = "--only-main", description = "Skip the smaller configuration (and the memory-growth check, "
            + "which runs on it).")
    boolean onlyMain;

    @Option(names = "--small-base-channels", description = "Base channels of the smaller configuration "
            + "(default: ${DEFAULT-VALUE}).")
    int smallBaseChannels = 16;

    @Option(names = "--small-tile", description = "Tile size of the smaller configuration (default: ${DEFAULT-VALUE}).")
    int smallTile = 396;

    @Option(names = "--memory-steps", description = "Training steps of the smaller configuration over which "
            + "resident memory is read after every step and its trend fitted; 0 skips the check "
            + "(default: ${DEFAULT-VALUE}).")
    int memorySteps = 200;

    @Option(names = "--memory-warmup-steps", description = "Training steps before the memory readings start: "
            + "the allocator's arenas grow over the first few dozen (default: ${DEFAULT-VALUE}).")
    int memoryWarmupSteps = 50;

    @Option(names = "--overlap-tile", description = "Also time overlap-tile segmentation of one random "
            + "image (--image-size) with the main configuration.")
    boolean overlapTile;

    @Option(names = "--image-size", description = "Side of the square image for --overlap-tile "
            + "(default: ${DEFAULT-VALUE}).")
    int imageSize = 512;

    @Option(names = "--per-layer", description = "Also print each convolution's floor time.")
    boolean perLayer;

    @Option(names = "--cold-floor-mb", description = "Also time the floor cold: before each timed run of a "
            + "convolution, a pass over this many MiB (read and written) pushes its weights, input and output out "
            + "of the caches, as the other layers of a step do; 0 skips it. More than the last-level cache, e.g. "
            + "1024 (default: ${DEFAULT-VALUE}).")
    int coldFloorMb = 0;

    @Option(names = "--pytorch", description = "Also run PyTorch's fp32, channels-last and bf16 modes on the same "
            + "networks right after, with this Python (one with PyTorch, e.g. /usr/bin/python3 after apt-get install "
            + "python3-torch), and print them beside.")
    String pytorch;

    @Option(names = "--pytorch-reps", description = "Timed runs of each PyTorch mode (default: ${DEFAULT-VALUE}).")
    int pytorchReps = 3;

    @Option(names = "--peak-gflops", description = "This CPU's float32 peak in GFLOP/s (measured with "
            + "tools/bench/fma.c), to print the fraction of it reached; 0 prints the rate alone "
            + "(default: ${DEFAULT-VALUE}).")
    double peakGflops = 0;

    @Mixin
    ActivationsOption activationsOption = new ActivationsOption();

    /** What the convolutions compute in, once {@link #precision} is applied. */
    private io.github.unet4j.core.ops.Precision computedPrecision;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        checkOptions();
        activationsOption.check();
        computedPrecision = precision.apply();
        String computed = computedPrecision.label() + " (" + precision.algorithm().label() + ")";
        PeerBench peer = pytorch == null ? null : new PeerBench(pytorch);
        String peerVersion = peer == null ? null : peer.check();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        UNetConfig main = network.toConfig();
        UNetConfig small = main.withBaseChannels(smallBaseChannels);
        main.outputSize(tile); // fails early, naming the nearest valid sizes
        if (pytorch != null && (main.depth() != 5 || main.inChannels() != 1 || main.classes() != 2
                || main.padding() != io.github.unet4j.core.Padding.VALID || main.batchNorm()
                || main.upsampling() != io.github.unet4j.core.Upsampling.TRANSPOSED || batch != 1)) {
            throw new IllegalArgumentException("--pytorch: PyTorch's script builds the paper's network (depth 5, 1 "
                    + "input channel, 2 classes, VALID, no batch norm, transposed up-convolutions) on batch 1; bench "
                    + "that network (tile and base channels may differ) or leave --pytorch out");
        }
        if (!onlyMain) {
            small.outputSize(smallTile);
        }

        out.printf("unet bench: float32 arrays, convolutions in %s, batch %d, %d round(s)%s of %d timed run(s) per "
                + "measurement, after warm-up (training steps for at least %d s and %d steps)%n", computed, batch, rounds,
                onlyMain ? "" : " (smaller configuration: " + smallRounds + ")", repeats, warmupSeconds, TRAIN_WARMUPS);
        out.println("backend: " + NativeBackend.describe());
        out.println(NativeMemory.describe());
        out.println("convolutions: " + convolutions());
        if (peer != null) {
            out.println("peer: PyTorch " + peerVersion + " (" + pytorch + "), " + pytorchReps + " timed run(s) per mode");
        }
        out.println("activations: " + (activationsOption.auto() ? "auto (the fastest whose training step fits in "
                + "memory; the rows say which)" : activationsOption.given()));
        out.printf("threads: %d (ND4J), OMP_NUM_THREADS=%s, %d processors%n", Nd4j.getEnvironment().maxThreads(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), Runtime.getRuntime().availableProcessors());
        out.flush();

        // The main configuration trains first, in a fresh process, so that the peak read right after
        // its training steps is the peak of training it (VmHWM only grows); the smaller one's
        // peak includes the main one's. The memory-growth check runs last.
        List<BenchReport.Row> rows = new ArrayList<>();
        progress(err, "main configuration " + label(main, tile, null));
        rows.add(measure(main, tile, rounds, err));
        BufferPool.trimPool();
        gc();
        if (!onlyMain) {
            progress(err, "smaller configuration " + label(small, smallTile, null));
            rows.add(measure(small, smallTile, smallRounds, err));
            BufferPool.trimPool();
            gc();
        }
        String overlapLine = overlapTile ? OverlapTileBench.run(main, tile, batch, imageSize, rounds, repeats,
                label(main, tile, null), err) : null;
        String memoryLine = "memory growth: skipped (--memory-steps 0)";
        if (onlyMain && memorySteps > 0) {
            memoryLine = "memory growth: skipped (it runs on the smaller configuration; --only-main given)";
        } else if (memorySteps > 0) {
            gc();
            memoryLine = memoryGrowth(small, smallTile, err);
        }

        List<List<PeerBench.Result>> peers = new ArrayList<>();
        if (peer != null) {
            progress(err, "PyTorch, main configuration");
            peers.add(peer.measure(tile, main.baseChannels(), pytorchReps));
            if (!onlyMain) {
                progress(err, "PyTorch, smaller configuration");
                peers.add(peer.measure(smallTile, small.baseChannels(), pytorchReps));
            }
        }
        new BenchReport(out).print(rows, coldFloorMb, memoryLine, overlapLine, perLayer, peakGflops, peers);
        out.flush();
        return 0;
    }

    private void checkOptions() {
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (smallRounds < 1) {
            throw new IllegalArgumentException("--small-rounds must be >= 1, got " + smallRounds);
        }
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup-seconds must be >= 0, got " + warmupSeconds);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (memorySteps < 0) {
            throw new IllegalArgumentException("--memory-steps must be >= 0, got " + memorySteps);
        }
        if (memoryWarmupSteps < 0) {
            throw new IllegalArgumentException("--memory-warmup-steps must be >= 0, got " + memoryWarmupSteps);
        }
        if (imageSize < 1) {
            throw new IllegalArgumentException("--image-size must be >= 1, got " + imageSize);
        }
        if (pytorchReps < 1) {
            throw new IllegalArgumentException("--pytorch-reps must be >= 1, got " + pytorchReps);
        }
        if (peakGflops < 0) {
            throw new IllegalArgumentException("--peak-gflops must be >= 0 (0: not given), got " + peakGflops);
        }
        if (coldFloorMb < 0) {
            throw new IllegalArgumentException("--cold-floor-mb must be >= 0, got " + coldFloorMb);
        }
    }

    /**
     * Warm-up steps, the peak memory, then the given number of rounds, each timing training steps,
     * forward passes and every convolution alone ({@link #repeats} runs of each after an untimed
     * one), and with {@code --cold-floor-mb} every convolution again with the caches flushed. A
     * ratio is taken within a round, where a measurement and its floor are seconds apart: this
     * virtual machine's speed changes by 15-25% within minutes (other guests on its host), and
     * timing all steps first and all floors minutes later let that drift into the ratio. The
     * peak is read before the rounds, as the floor's layers and inputs (some 330 MB for the
     * paper's first convolution) come on top of the network's idle buffers.
     */
    private BenchReport.Row measure(UNetConfig config, int size, int roundCount, PrintWriter err) {
        BenchSession s = new BenchSession(config, size, batch, activationsOption, computedPrecision);
        progress(err, "  warm-up: training steps (at least " + TRAIN_WARMUPS + " and " + warmupSeconds + " s)");
        BufferPool.resetPeak();
        long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        for (int steps = 0; steps < TRAIN_WARMUPS || System.nanoTime() < warmupEnd; steps++) {
            s.trainStep();
        }
        long peakKb = ProcessMemory.now().peakKb();
        long inUse = BufferPool.peakInUseBytes();
        List<ConvFloor.Site> sites = ConvFloor.sites(s.net, s.x.shape());
        double[] train = new double[roundCount];
        double[] forward = new double[roundCount];
        FloorRounds hot = new FloorRounds(ConvFloor.Passes.FORWARD_AND_BACKWARD, sites.size(), roundCount, repeats);
        FloorRounds cold = coldFloorMb > 0
                ? new FloorRounds(ConvFloor.Passes.FORWARD_AND_BACKWARD, sites.size(), roundCount, repeats) : null;
        INDArray flush = coldFloorMb > 0 ? Nd4j.zeros(DataType.FLOAT, coldFloorMb * (1L << 20) / Float.BYTES) : null;
        try {
            for (int r = 0; r < roundCount; r++) {
                progress(err, "  round " + (r + 1) + " of " + roundCount + ": training steps, forward passes, the "
                        + sites.size() + " convolutions alone" + (cold == null ? "" : ", and again cold"));
                train[r] = Stopwatch.median(1, repeats, s::trainStep);
                forward[r] = Stopwatch.median(1, repeats, s::forward);
                hot.time(sites, r, () -> { });
                if (cold != null) {
                    cold.time(sites, r, () -> flush.addi(1f));
                }
            }
        } finally {
            BufferPool.release(flush);
        }
        BenchReport.Cold c = cold == null ? null : new BenchReport.Cold(new BenchReport.Measured(train,
                cold.train()), new BenchReport.Measured(forward, cold.forward()), cold.perSite(sites));
        return new BenchReport.Row(label(config, size, s.activations), s.net.parameterCount(), new BenchReport.Measured(train,
                hot.train()), new BenchReport.Measured(forward, hot.forward()), peakKb, inUse, hot.perSite(sites), c);
    }

    /**
     * Resident memory over {@link #memorySteps} training steps of the smaller configuration, after
     * {@link #memoryWarmupSteps} untimed ones (the allocator's arenas grow over the first few dozen
     * steps, which is not growth), read after every step: its least-squares trend with twice its
     * standard error, and the range it swung over.
     */
    private String memoryGrowth(UNetConfig config, int size, PrintWriter err) {
        BenchSession s = new BenchSession(config, size, batch, activationsOption, computedPrecision);
        String label = label(config, size, s.activations);
        progress(err, "  memory: " + memoryWarmupSteps + " warm-up steps, then " + memorySteps
                + " training steps, resident memory read after each");
        for (int i = 0; i < Math.max(1, memoryWarmupSteps); i++) {
            s.trainStep();
        }
        long[] steps = new long[memorySteps + 1];
        long[] kb = new long[memorySteps + 1];
        kb[0] = ProcessMemory.now().currentKb();
        long t0 = System.nanoTime();
        for (int i = 1; i <= memorySteps; i++) {
            s.trainStep();
            steps[i] = i;
            kb[i] = ProcessMemory.now().currentKb();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (kb[0] < 0 || memorySteps < 2) {
            return String.format("memory growth (%s): VmRSS %s after %d warm-up steps, %s after %d more steps "
                    + "(too few readings for a trend)", label, ProcessMemory.mb(kb[0]),
                    memoryWarmupSteps, ProcessMemory.mb(kb[memorySteps]), memorySteps);
        }
        MemoryTrend t = new MemoryTrend(steps, kb);
        return String.format("memory growth (%s): VmRSS trend %s over %d steps after %d warm-up steps "
                + "(%.1f s); %s to %s, %s first, %s last", label, t.describePer100Steps(), memorySteps,
                memoryWarmupSteps, seconds, ProcessMemory.mb(t.minKb()), ProcessMemory.mb(t.maxKb()),
                ProcessMemory.mb(kb[0]), ProcessMemory.mb(kb[memorySteps]));
    }

    /** @param activations the mode a session resolved, or null before one has (the progress lines) */
    private static String label(UNetConfig c, int size, Activations activations) {
        return BenchReport.label(c, size, activations);
    }

    static void progress(PrintWriter err, String what) {
        err.println("bench: " + what);
        err.flush();
    }

    // Off-heap buffers are freed only when the Java objects holding them are collected.
    private static void gc() {
        System.gc();
        System.gc();
    }

    /** @return who runs the convolutions: oneDNN directly (which version, ISA, precision) or ND4J */
    private static String convolutions() {
        io.github.unet4j.core.ops.ConvAccelerator fast = io.github.unet4j.core.ops.Accelerators.conv();
        return fast == null ? "ND4J's ops (no accelerator)" : fast.describe() + " in " + fast.precision().label() + ", "
                + fast.algorithm().label();
    }
}
