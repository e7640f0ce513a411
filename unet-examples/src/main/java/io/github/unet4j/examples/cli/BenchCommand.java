package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Tensors;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.Upsampling;
import io.github.unet4j.core.runtime.NativeBackend;
import io.github.unet4j.core.runtime.NativeMemory;
import io.github.unet4j.train.TrainingStep;
import io.github.unet4j.train.data.Batch;
import io.github.unet4j.core.runtime.NativeGarbage;
import io.github.unet4j.core.runtime.Workspaces;
import io.github.unet4j.train.loss.WeightedCrossEntropy;
import io.github.unet4j.train.optim.Sgd;
import io.github.unet4j.train.optim.SgdConfig;
import io.github.unet4j.core.infer.OverlapTile;
import io.github.unet4j.core.infer.UNetTileModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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

    private static final long SEED = 42;
    private static final double LEARNING_RATE = 1e-4;
    /**
     * Untimed training steps first: the network's buffer pool (core.Tensors) settles over the
     * first two or three steps, after which every step reuses it; training runs thousands.
     */
    private static final int TRAIN_WARMUPS = 3;

    @Mixin
    NetworkOptions network = new NetworkOptions();

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

    @Option(names = "--memory-steps", description = "Training steps of the smaller configuration between two "
            + "resident-memory readings; 0 skips the check (default: ${DEFAULT-VALUE}).")
    int memorySteps = 200;

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

    @Option(names = "--activations", description = "What a training forward keeps for backward: KEEP (fastest) "
            + "or RECOMPUTE (keeps only block outputs and recomputes the rest during backward: less memory, about "
            + "one more forward per step) (default: ${DEFAULT-VALUE}).")
    Activations activations = Activations.KEEP;

    @Spec
    CommandSpec spec;

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
    private record Row(String label, long parameters, Measured train, Measured forward, long peakKb, long inUseBytes,
            List<ConvFloor.Timing> convs, Cold cold) {
    }

    /**
     * The same runs against the cold floor ({@code --cold-floor-mb}).
     *
     * @param train   training steps against the cold training floor
     * @param forward forward passes against the cold forward floor
     * @param convs   each convolution's cold times, in the order of the row's
     */
    private record Cold(Measured train, Measured forward, List<ConvFloor.Timing> convs) {
    }

    @Override
    public Integer call() {
        checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        UNetConfig main = network.toConfig();
        UNetConfig small = main.withBaseChannels(smallBaseChannels);
        main.outputSize(tile); // fails early, naming the nearest valid sizes
        if (!onlyMain) {
            small.outputSize(smallTile);
        }

        out.printf("unet bench: float32, batch %d, %d round(s)%s of %d timed run(s) per measurement, after warm-up "
                + "(training steps for at least %d s and %d steps)%n", batch, rounds,
                onlyMain ? "" : " (smaller configuration: " + smallRounds + ")", repeats, warmupSeconds, TRAIN_WARMUPS);
        out.println("backend: " + NativeBackend.describe());
        out.println(NativeMemory.describe());
        out.println("activations: " + activations);
        out.printf("threads: %d (ND4J), OMP_NUM_THREADS=%s, %d processors%n", Nd4j.getEnvironment().maxThreads(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), Runtime.getRuntime().availableProcessors());
        out.flush();

        // The main configuration trains first, in a fresh process, so that the peak read right after
        // its training steps is the peak of training it (VmHWM only grows); the smaller one's
        // peak includes the main one's. The memory-growth check runs last.
        List<Row> rows = new ArrayList<>();
        progress(err, "main configuration " + label(main, tile));
        rows.add(measure(main, tile, rounds, err));
        Tensors.trimPool();
        gc();
        if (!onlyMain) {
            progress(err, "smaller configuration " + label(small, smallTile));
            rows.add(measure(small, smallTile, smallRounds, err));
            Tensors.trimPool();
            gc();
        }
        String overlapLine = overlapTile ? overlapTile(main, err) : null;
        String memoryLine = "memory growth: skipped (--memory-steps 0)";
        if (onlyMain && memorySteps > 0) {
            memoryLine = "memory growth: skipped (it runs on the smaller configuration; --only-main given)";
        } else if (memorySteps > 0) {
            gc();
            memoryLine = memoryGrowth(small, smallTile, err);
        }

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
        out.println("floor = the network's convolutions timed alone with the same layers and ND4J ops "
                + "(conv2d, deconv2d): forward floor = sum of their forward medians, training floor = sum of "
                + "forward and backward (conv2d_bp, deconv2d_bp) medians; each round times training steps, forward "
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
        if (imageSize < 1) {
            throw new IllegalArgumentException("--image-size must be >= 1, got " + imageSize);
        }
        if (coldFloorMb < 0) {
            throw new IllegalArgumentException("--cold-floor-mb must be >= 0, got " + coldFloorMb);
        }
    }

    /** Network, optimiser and random data for training steps of one configuration. */
    private final class Session {
        final UNet net;
        final Sgd sgd;
        final INDArray x;
        final INDArray target;
        final WeightedCrossEntropy loss = new WeightedCrossEntropy();
        final TrainingStep step;
        final Batch tiles;

        Session(UNetConfig config, int size) {
            net = new UNet(config, DataType.FLOAT, SEED);
            net.setActivations(activations);
            sgd = new Sgd(net.parameters(), SgdConfig.paper(LEARNING_RATE));
            Nd4j.getRandom().setSeed(SEED);
            x = Nd4j.rand(DataType.FLOAT, batch, config.inChannels(), size, size);
            int outSize = config.outputSize(size);
            float[] ids = new float[batch * outSize * outSize];
            Random random = new Random(SEED);
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(config.classes());
            }
            target = Nd4j.create(ids, new long[] {batch, outSize, outSize}, 'c');
            step = new TrainingStep(net, loss, sgd);
            tiles = new Batch(x, target, null);
        }

        /** The trainer's step ({@link TrainingStep}), then the garbage collection due, as the trainer does. */
        void trainStep() {
            step.run(tiles);
            NativeGarbage.collectIfDue();
        }

        /** A forward pass in inference mode, in a workspace as overlap-tile inference runs it. */
        void forward() {
            Workspaces.run("unet4j-inference", () -> {
                INDArray logits = net.forward(x, Mode.INFER);
                double sum = logits.sumNumber().doubleValue();
                Tensors.release(logits);
                return sum;
            });
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
    private Row measure(UNetConfig config, int size, int roundCount, PrintWriter err) {
        Session s = new Session(config, size);
        progress(err, "  warm-up: training steps (at least " + TRAIN_WARMUPS + " and " + warmupSeconds + " s)");
        Tensors.resetPeak();
        long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        for (int steps = 0; steps < TRAIN_WARMUPS || System.nanoTime() < warmupEnd; steps++) {
            s.trainStep();
        }
        long peakKb = ProcessMemory.now().peakKb();
        long inUse = Tensors.peakInUseBytes();
        List<ConvFloor.Site> sites = ConvFloor.sites(s.net, s.x.shape());
        double[] train = new double[roundCount];
        double[] forward = new double[roundCount];
        Floors hot = new Floors(ConvFloor.Passes.FORWARD_AND_BACKWARD, sites.size(), roundCount);
        Floors cold = coldFloorMb > 0 ? new Floors(ConvFloor.Passes.FORWARD_AND_BACKWARD, sites.size(), roundCount)
                : null;
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
            Tensors.release(flush);
        }
        Cold c = cold == null ? null : new Cold(new Measured(train, cold.train()),
                new Measured(forward, cold.forward()), cold.perSite(sites));
        return new Row(label(config, size), s.net.parameterCount(), new Measured(train, hot.train()),
                new Measured(forward, hot.forward()), peakKb, inUse, hot.perSite(sites), c);
    }

    /** Each convolution's floor times in each round. */
    private final class Floors {
        final ConvFloor.Passes passes;
        final double[][] siteForward;
        final double[][] siteBackward;

        Floors(ConvFloor.Passes passes, int sites, int rounds) {
            this.passes = passes;
            siteForward = new double[sites][rounds];
            siteBackward = new double[sites][rounds];
        }

        void time(List<ConvFloor.Site> sites, int round, Runnable beforeEach) {
            for (int i = 0; i < sites.size(); i++) {
                ConvFloor.Timing t = ConvFloor.time(sites.get(i), passes, repeats, SEED, beforeEach);
                siteForward[i][round] = t.forward();
                siteBackward[i][round] = t.backward();
            }
        }

        /** @return the forward floor of each round: the sum of the convolutions' forward times */
        double[] forward() {
            return sumPerRound(siteForward);
        }

        /** @return the training floor of each round: forward plus backward times (NaN for forward only) */
        double[] train() {
            double[] f = forward();
            double[] b = sumPerRound(siteBackward);
            for (int r = 0; r < f.length; r++) {
                f[r] += b[r];
            }
            return f;
        }

        private static double[] sumPerRound(double[][] perSite) {
            double[] sum = new double[perSite.length == 0 ? 0 : perSite[0].length];
            for (double[] site : perSite) {
                for (int r = 0; r < sum.length; r++) {
                    sum[r] += site[r];
                }
            }
            return sum;
        }

        /** @return each convolution's median times over rounds */
        List<ConvFloor.Timing> perSite(List<ConvFloor.Site> sites) {
            List<ConvFloor.Timing> convs = new ArrayList<>();
            for (int i = 0; i < sites.size(); i++) {
                convs.add(new ConvFloor.Timing(sites.get(i), Stopwatch.median(siteForward[i]),
                        Stopwatch.median(siteBackward[i])));
            }
            return convs;
        }
    }

    private String memoryGrowth(UNetConfig config, int size, PrintWriter err) {
        Session s = new Session(config, size);
        s.trainStep(); // allocations of the first step are not growth
        ProcessMemory before = ProcessMemory.now();
        progress(err, "  memory: " + memorySteps + " training steps");
        double seconds = Stopwatch.seconds(() -> {
            for (int i = 0; i < memorySteps; i++) {
                s.trainStep();
            }
        });
        ProcessMemory after = ProcessMemory.now();
        gc();
        ProcessMemory afterGc = ProcessMemory.now();
        return String.format("memory growth (%s): VmRSS %s after 1 step, %s after %d more steps (%+,d MB, "
                + "%.1f s), %s after System.gc()", label(config, size), ProcessMemory.mb(before.currentKb()),
                ProcessMemory.mb(after.currentKb()), memorySteps,
                Math.round((after.currentKb() - before.currentKb()) / 1024.0), seconds,
                ProcessMemory.mb(afterGc.currentKb()));
    }

    /**
     * Overlap-tile segmentation of one random image, in {@link #rounds} rounds, each timing the
     * segmentation and then the forward floor of the network's convolutions: paired within a
     * round as in {@link #measure}, since a floor taken minutes earlier (the main configuration's)
     * let the machine's drift into the ratio (1.12 and 1.39 in two runs).
     */
    private String overlapTile(UNetConfig config, PrintWriter err) {
        UNet net = new UNet(config, DataType.FLOAT, SEED);
        UNetTileModel model = UNetTileModel.of(net, tile);
        OverlapTile tiler = new OverlapTile(model, batch);
        int perSide = (imageSize + model.outputTile() - 1) / model.outputTile();
        int tiles = perSide * perSide;
        float[] pixels = new float[imageSize * imageSize];
        Random random = new Random(SEED);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        float[][] image = {pixels};
        if (config.inChannels() != 1) {
            image = new float[config.inChannels()][];
            Arrays.fill(image, pixels);
        }
        float[][] channels = image;
        List<ConvFloor.Site> sites = ConvFloor.sites(net, new long[] {batch, config.inChannels(), tile, tile});
        double[] times = new double[rounds];
        Floors floors = new Floors(ConvFloor.Passes.FORWARD, sites.size(), rounds); // inference: no backward
        for (int r = 0; r < rounds; r++) {
            progress(err, "  overlap-tile " + imageSize + "x" + imageSize + ", " + tiles + " tiles, round " + (r + 1)
                    + " of " + rounds + ": segmenting, the " + sites.size() + " convolutions alone");
            times[r] = Stopwatch.median(1, repeats, () -> tiler.predict(channels, imageSize, imageSize));
            floors.time(sites, r, () -> { });
        }
        // The floor is per batch of tiles; with a batch of 1 it is per tile.
        double[] floor = floors.forward();
        for (int r = 0; r < rounds; r++) {
            floor[r] = floor[r] / batch * tiles;
        }
        Measured m = new Measured(times, floor);
        return String.format("overlap-tile %dx%d image (%s, output tile %d, %d tiles): %.3f s; forward floor x "
                + "tiles = %.3f s; ratio %.2f (median over rounds of the round's time / floor)", imageSize, imageSize,
                label(config, tile), model.outputTile(), tiles, m.median(), m.floor(), m.ratio());
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

    private String label(UNetConfig c, int size) {
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
        }
        return b.toString();
    }

    private static void progress(PrintWriter err, String what) {
        err.println("bench: " + what);
        err.flush();
    }

    // Off-heap buffers are freed only when the Java objects holding them are collected.
    private static void gc() {
        System.gc();
        System.gc();
    }
}
