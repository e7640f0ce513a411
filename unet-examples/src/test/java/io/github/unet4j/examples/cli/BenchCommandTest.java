package io.github.unet4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.Upsampling;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The bench subcommand on a tiny network, the convolution walk behind its floor, and /proc parsing. */
class BenchCommandTest {


    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void tinyConfigurationPrintsEveryRow() {
        CommandRun r = run("bench", "--depth", "3", "--base-channels", "4", "--tile", "92", "--small-base-channels", "2",
                "--small-tile", "60", "--repeats", "2", "--rounds", "2", "--small-rounds", "3", "--warmup-seconds", "0",
                "--memory-steps", "3", "--memory-warmup-steps", "1",
                "--overlap-tile", "--image-size", "60", "--per-layer");
        assertEquals(0, r.code(), r.err());
        String o = r.out();
        assertTrue(o.contains("backend: "), o);
        assertTrue(o.contains("threads: "), o);
        assertTrue(o.contains("configuration") && o.contains("train step") && o.contains("peak RSS"), o);
        assertTrue(o.contains("depth 3, 4 ch, tile 92"), o);
        assertTrue(o.contains("depth 3, 2 ch, tile 60"), o);
        assertTrue(o.contains("memory growth (depth 3, 2 ch, tile 60): VmRSS trend ")
                && o.contains(" MB per 100 steps (± ") && o.contains("over 3 steps after 1 warm-up steps"), o);
        // 92 -> 52: a 60x60 image needs 2x2 tiles.
        assertTrue(o.contains("overlap-tile 60x60 image") && o.contains("4 tiles"), o);
        assertTrue(o.contains("ratio") && o.contains("(median over rounds of the round's time / floor)"), o);
        java.util.regex.Matcher engines = java.util.regex.Pattern.compile("overlap-tile engines, tile 92 \\(4 tiles, "
                + "[0-9.]+ M input pixels\\): unet4j [0-9.]+ s \\([0-9.e-]+ MP/s\\), ONNX Runtime [0-9.]+ s \\([0-9.e-]+ "
                + "MP/s\\), unet4j/ONNX Runtime time [0-9.]+; largest difference between their maps ([0-9.e-]+)")
                .matcher(o);
        assertTrue(engines.find(), o);
        assertTrue(Double.parseDouble(engines.group(1)) < 1e-5, "the engines' maps differ by " + engines.group(1));
        // 60 pixels need an output of 60: tile 100 (depth 3: 100 -> 60), one tile.
        java.util.regex.Matcher chosen = java.util.regex.Pattern.compile("overlap-tile engines, tile 100 as predict "
                + "chooses it \\(1 tile\\(s\\), 0.01 M input pixels\\).*largest difference from the tile-92 maps "
                + "([0-9.e-]+)").matcher(o);
        assertTrue(chosen.find(), o);
        assertTrue(Double.parseDouble(chosen.group(1)) < 1e-5, "the chosen tile's maps differ by " + chosen.group(1));
        // The overlap-tile floor is timed in the main configuration's rounds (2), beside the segmentation.
        assertTrue(r.err().contains("4 tiles, round 2 of 2") && !r.err().contains("4 tiles, round 3"), r.err());
        assertTrue(o.contains("up1.up") && o.contains("deconv2d"), o);
        assertTrue(o.contains(" MB"), o);
        assertTrue(o.contains("n/a"), o); // the smaller configuration's peak is not its own
        assertTrue(o.contains("2 round(s) (smaller configuration: 3)"), o);
        // Each configuration runs its own number of rounds: the main one 2, the smaller one 3.
        String e = r.err();
        int small = e.indexOf("smaller configuration depth 3, 2 ch, tile 60");
        assertTrue(small > 0, e);
        assertTrue(e.substring(0, small).contains("round 2 of 2") && !e.substring(0, small).contains("of 3"), e);
        int overlap = e.indexOf("overlap-tile 60x60");
        assertTrue(overlap > small, e);
        String smallPart = e.substring(small, overlap);
        assertTrue(smallPart.contains("round 3 of 3") && !smallPart.contains("of 2:"), e);
    }

    /** A quick run of a tiny main configuration alone, with more options; it must succeed. */
    private static CommandRun tinyMainOnly(String... more) {
        List<String> args = new ArrayList<>(List.of("bench", "--depth", "3", "--base-channels", "2", "--tile", "60",
                "--repeats", "1", "--warmup-seconds", "0", "--only-main"));
        args.addAll(List.of(more));
        CommandRun r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void onlyMainSkipsTheSmallConfiguration() {
        CommandRun r = tinyMainOnly();
        assertTrue(r.out().contains("depth 3, 2 ch, tile 60"), r.out());
        assertFalse(r.out().contains("16 ch"), r.out());
        assertFalse(r.out().contains("smaller configuration:"), r.out());
        assertTrue(r.out().contains("memory growth: skipped"), r.out());
        assertFalse(r.out().contains("cold floor"), r.out());
    }

    @Test
    void coldFloorIsPrintedWhenAsked() {
        CommandRun r = tinyMainOnly("--cold-floor-mb", "4", "--per-layer");
        assertTrue(r.out().contains("cold floor = the floor with a pass over 4 MiB"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("depth 3, 2 ch, tile 60") && l.contains("step / cold "
                + "floor") && l.contains("forward / cold floor")), r.out());
        assertTrue(r.err().contains("and again cold"), r.err());
        assertTrue(r.out().contains("cold fwd") && r.out().contains("cold bwd"), r.out());
        // forward, backward, cold forward, cold backward
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  outc.conv ") && l.split(" ms", -1).length == 5),
                r.out());
    }

    @Test
    void recomputeRunsTheMemoryLeanMode() {
        CommandRun r = tinyMainOnly("--activations", "RECOMPUTE");
        assertTrue(r.out().contains("activations: RECOMPUTE"), r.out());
        assertTrue(r.out().contains("depth 3, 2 ch, tile 60, recompute"), r.out());
        assertTrue(r.out().contains("malloc: "), r.out());
        CommandRun.assertUsageError("KEEP_BF16, RECOMPUTE or auto", "bench", "--activations", "SOMETIMES",
                "--only-main");
    }

    @Test
    void autoKeepsTheActivationsWhereTheyFitAndKeepBf16IsNamedInTheRow() {
        CommandRun auto = tinyMainOnly();
        assertTrue(auto.out().contains("activations: auto"), auto.out());
        assertTrue(auto.out().lines().anyMatch(l -> l.startsWith("depth 3, 2 ch, tile 60 ")), auto.out());
        CommandRun bf16 = tinyMainOnly("--activations", "keep_bf16");
        assertTrue(bf16.out().contains("activations: KEEP_BF16"), bf16.out());
        assertTrue(bf16.out().contains("depth 3, 2 ch, tile 60, bf16 activations"), bf16.out());
    }

    @Test
    void invalidOptionsAreUsageErrors() {
        CommandRun.assertUsageError("572", "bench", "--tile", "570", "--only-main");
        CommandRun.assertUsageError("--repeats", "bench", "--repeats", "0");
        CommandRun.assertUsageError("--rounds", "bench", "--rounds", "0");
        CommandRun.assertUsageError("--small-rounds", "bench", "--small-rounds", "0");
        CommandRun.assertUsageError("--warmup-seconds", "bench", "--warmup-seconds", "-1");
        CommandRun.assertUsageError("--cold-floor-mb", "bench", "--cold-floor-mb", "-1");
        CommandRun.assertUsageError("--memory-warmup-steps", "bench", "--memory-warmup-steps", "-1");
    }

    @Test
    void flopsAreCountedFromTheShapes() {
        // 3 outputs x 3x3 pixels, each 2 inputs x 3x3 products: 3 * 9 * 18 multiply-adds.
        assertEquals(2.0 * 3 * 9 * 18, new ConvFloor.Site("c", false, 2, 3, 3, io.github.unet4j.core.Padding.VALID,
                true, new long[] {1, 2, 5, 5}).forwardFlops(), 0);
        assertEquals(2.0 * 3 * 25 * 18, new ConvFloor.Site("s", false, 2, 3, 3, io.github.unet4j.core.Padding.SAME,
                true, new long[] {1, 2, 5, 5}).forwardFlops(), 0);
        // An up-convolution 4 -> 2 with a 2x2 kernel on 3x3 inputs, batch 2: each input pixel, 4 x 2 x 4 products.
        assertEquals(2.0 * 2 * 9 * 4 * 2 * 4, new ConvFloor.Site("u", true, 4, 2, 2,
                io.github.unet4j.core.Padding.VALID, true, new long[] {2, 4, 3, 3}).forwardFlops(), 0);
        // The paper's network: about 301 GFLOP forward, 903 a training step (as the issue counts).
        double paper = ConvFloor.sites(new UNet(UNetConfig.paper(), DataType.FLOAT, 1), new long[] {1, 1, 572, 572})
                .stream().mapToDouble(ConvFloor.Site::forwardFlops).sum();
        assertTrue(Math.abs(3 * paper / 903e9 - 1) < 0.01, "paper step " + 3 * paper / 1e9 + " GFLOP");
    }

    @Test
    void pyTorchsLinesAreReadAndAMissingOneIsAnError() {
        List<PeerBench.Result> r = PeerBench.parse(List.of("noise", "fp32: tile 572 base 64: train_step_s=6.460 "
                + "forward_s=2.070", "cl: tile 572 base 64: train_step_s=7.450 forward_s=1.990",
                "cl-bf16: tile 572 base 64: train_step_s=3.770 forward_s=1.030"));
        assertEquals(3, r.size());
        assertEquals("cl-bf16", r.get(2).mode());
        assertEquals(3.77, r.get(2).trainStep(), 0);
        assertEquals(1.99, r.get(1).forward(), 0);
        assertThrows(IllegalStateException.class, () -> PeerBench.parse(List.of("fp32: tile 572 base 64: "
                + "train_step_s=6.460 forward_s=2.070")));
    }

    @Test
    void peakAndPrecisionAndPeerOptions() {
        CommandRun r = tinyMainOnly("--peak-gflops", "100");
        assertTrue(r.out().contains("peak of 100 GFLOP/s"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  depth 3, 2 ch, tile 60") && l.contains("GFLOP/s (")),
                r.out());
        assertTrue(tinyMainOnly().out().contains("peak: not given"), "without --peak-gflops");
        CommandRun.assertUsageError("--precision", "bench", "--precision", "half", "--only-main");
        CommandRun.assertUsageError("--peak-gflops", "bench", "--peak-gflops", "-1");
        CommandRun.assertUsageError("--pytorch-reps", "bench", "--pytorch-reps", "0");
        CommandRun.assertUsageError("--pytorch", "bench", "--pytorch", "/no/such/python", "--only-main");
        CommandRun.assertUsageError("--pytorch", "bench", "--pytorch", "/no/such/python", "--depth", "3",
                "--tile", "60", "--only-main");
        io.github.unet4j.core.ops.ConvAccelerator fast = io.github.unet4j.core.ops.Accelerators.conv();
        if (fast != null && fast.unsupported(io.github.unet4j.core.ops.Precision.BF16,
                io.github.unet4j.core.ops.ConvAlgorithm.DIRECT) == null) {
            CommandRun b = tinyMainOnly("--precision", "bf16");
            assertTrue(b.out().contains("convolutions in bf16 (direct)") && b.out().lines().anyMatch(l -> l.startsWith(
                    "convolutions: ") && l.endsWith(" in bf16, direct")), b.out());
            CommandRun.assertUsageError("--conv-algorithm", "bench", "--precision", "bf16", "--conv-algorithm",
                    "winograd", "--only-main");
        } else {
            CommandRun.assertUsageError("--precision", "bench", "--precision", "bf16", "--only-main");
        }
        CommandRun.assertUsageError("--conv-algorithm", "bench", "--conv-algorithm", "fft", "--only-main");
        String fp32 = io.github.unet4j.core.ops.Accelerators.fastestAlgorithm(io.github.unet4j.core.ops.Precision.FP32)
                .label();
        CommandRun d = tinyMainOnly();
        assertTrue(d.out().contains("convolutions in fp32 (" + fp32 + ")"), "auto picks " + fp32 + ": " + d.out());
        CommandRun direct = tinyMainOnly("--conv-algorithm", "direct");
        assertTrue(direct.out().contains("convolutions in fp32 (direct)"), direct.out());
    }

    @Test
    void ratioIsTheMedianOfEachRoundsRatio() {
        // Per-round ratios 1.5, 1.25, 1.2: the median is 1.25, while the ratio of the medians
        // (2.4 / 1.6 = 1.5) would pair round 1's step with round 2's floor.
        BenchReport.Measured m = new BenchReport.Measured(new double[] {2.4, 1.0, 3.6},
                new double[] {1.6, 0.8, 3.0});
        assertEquals(2.4, m.median(), 1e-12);
        assertEquals(1.6, m.floor(), 1e-12);
        assertEquals(1.25, m.ratio(), 1e-12);
    }

    @Test
    void paperConvolutionsAndTheirInputShapes() {
        UNet net = new UNet(UNetConfig.paper(), DataType.FLOAT, 1);
        List<ConvFloor.Site> sites = ConvFloor.sites(net, new long[] {1, 1, 572, 572});
        assertEquals(23, sites.size());
        assertEquals(4, sites.stream().filter(ConvFloor.Site::transposed).count());
        assertSite(sites.get(0), "inc.conv1", 1, 64, new long[] {1, 1, 572, 572});
        assertSite(sites.get(1), "inc.conv2", 64, 64, new long[] {1, 64, 570, 570});
        assertSite(sites.get(2), "down1.conv.conv1", 64, 128, new long[] {1, 64, 284, 284});
        assertSite(sites.get(10), "up1.up", 1024, 512, new long[] {1, 1024, 28, 28});
        assertSite(sites.get(11), "up1.conv.conv1", 1024, 512, new long[] {1, 1024, 56, 56});
        assertSite(sites.get(22), "outc.conv", 64, 2, new long[] {1, 64, 388, 388});
    }

    @Test
    void walkHandlesSameBilinearAndBatchNorm() {
        UNetConfig c = new UNetConfig(1, 2, 3, 2, Padding.SAME, true, 0, Upsampling.BILINEAR);
        List<ConvFloor.Site> sites = ConvFloor.sites(new UNet(c, DataType.FLOAT, 1), new long[] {2, 1, 32, 32});
        assertEquals(11, sites.size());
        assertTrue(sites.stream().noneMatch(ConvFloor.Site::transposed));
        assertFalse(sites.get(0).bias());
        assertSite(sites.get(6), "up1.conv.conv1", 8 + 4, 4, new long[] {2, 12, 16, 16});
        assertTrue(sites.get(10).bias());
    }

    @Test
    void forwardOnlyTimingRunsNoBackward() {
        UNetConfig c = new UNetConfig(1, 2, 2, 2, Padding.VALID, false, 0, Upsampling.TRANSPOSED);
        ConvFloor.Site site = ConvFloor.sites(new UNet(c, DataType.FLOAT, 1), new long[] {1, 1, 44, 44}).get(1);
        int[] calls = new int[1];
        ConvFloor.Timing f = ConvFloor.time(site, ConvFloor.Passes.FORWARD, 3, 1, () -> calls[0]++);
        assertTrue(f.forward() > 0, f.toString());
        assertTrue(Double.isNaN(f.backward()), f.toString());
        assertEquals(3, calls[0], "once before each timed forward");
        calls[0] = 0;
        ConvFloor.Timing both = ConvFloor.time(site, ConvFloor.Passes.FORWARD_AND_BACKWARD, 3, 1, () -> calls[0]++);
        assertTrue(both.forward() > 0 && both.backward() > 0, both.toString());
        assertEquals(6, calls[0], "once before each timed forward and each timed backward");
    }

    private static void assertSite(ConvFloor.Site s, String name, int in, int out, long[] shape) {
        assertEquals(name, s.name());
        assertEquals(in, s.inChannels(), name);
        assertEquals(out, s.outChannels(), name);
        assertArrayEquals(shape, s.inputShape(), name);
    }

    @Test
    void memoryTrendIsTheLeastSquaresSlope() {
        // 1000, 1010, 1040, 1030, 1070 KiB at steps 0..4: slope = sum((x-2)(y-1030)) / sum((x-2)^2)
        // = (-2*-30 + -1*-20 + 0 + 1*0 + 2*40) / 10 = 16 KiB per step; intercept 1030 - 16 * 2 = 998,
        // residuals 2, -4, 10, -16, 8, rss = 440, se = sqrt(440 / 3 / 10).
        MemoryTrend t = new MemoryTrend(new long[] {0, 1, 2, 3, 4}, new long[] {1000, 1010, 1040, 1030, 1070});
        assertEquals(16.0, t.slopeKbPerStep(), 1e-12);
        assertEquals(Math.sqrt(440.0 / 30), t.slopeStandardErrorKbPerStep(), 1e-12);
        assertEquals(1000, t.minKb());
        assertEquals(1070, t.maxKb());
        assertEquals(String.format("%+.1f MB per 100 steps (± %.1f)", 1600 / 1024.0,
                2 * Math.sqrt(440.0 / 30) * 100 / 1024.0), t.describePer100Steps());
        // A perfect line has no error; a flat swing has no slope.
        MemoryTrend line = new MemoryTrend(new long[] {0, 1, 2}, new long[] {5, 7, 9});
        assertEquals(2.0, line.slopeKbPerStep(), 1e-12);
        assertEquals(0.0, line.slopeStandardErrorKbPerStep(), 1e-12);
        assertEquals(0.0, new MemoryTrend(new long[] {0, 1, 2, 3}, new long[] {9, 1, 1, 9}).slopeKbPerStep(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new MemoryTrend(new long[] {0, 1}, new long[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new MemoryTrend(new long[] {0, 1, 2}, new long[] {1, 2}));
    }

    @Test
    void heapResidentIsTheRssOfTheHeapsContiguousAnonymousMappings() {
        // A 6 GiB heap reservation in two pieces (committed 4 MiB with 3 MiB resident, then
        // uncommitted), a library, a malloc arena apart, and the class space right after the heap.
        List<String> smaps = List.of(
                "100000000-100400000 rw-p 00000000 00:00 0", "Size: 4096 kB", "Rss: 3072 kB",
                "100400000-280000000 ---p 00000000 00:00 0", "Size: 6287360 kB", "Rss: 0 kB",
                "280000000-2c0000000 ---p 00000000 00:00 0", "Size: 1048576 kB", "Rss: 900 kB",
                "7f0000000000-7f0010000000 rw-p 00000000 00:00 0", "Size: 262144 kB", "Rss: 50000 kB",
                "7f0020000000-7f0021000000 r-xp 00000000 fe:00 123 /usr/lib/libx.so", "Size: 16384 kB",
                "Rss: 8000 kB");
        assertEquals(3072, ProcessMemory.heapRss(smaps, 6L << 20), "the class space is past the heap's size");
        // The heap in many pieces, none larger than the class space: still found by its size.
        List<String> pieces = List.of(
                "100000000-100400000 rw-p 00000000 00:00 0", "Size: 4096 kB", "Rss: 3072 kB",
                "100400000-180000000 ---p 00000000 00:00 0", "Size: 2093056 kB", "Rss: 0 kB",
                "180000000-180400000 rw-p 00000000 00:00 0", "Size: 4096 kB", "Rss: 4000 kB",
                "180400000-200000000 ---p 00000000 00:00 0", "Size: 2093056 kB", "Rss: 0 kB",
                "200000000-280000000 ---p 00000000 00:00 0", "Size: 2097152 kB", "Rss: 0 kB",
                "300000000-340000000 ---p 00000000 00:00 0", "Size: 4194304 kB", "Rss: 10 kB");
        assertEquals(7072, ProcessMemory.heapRss(pieces, 6L << 20));
        assertEquals(-1, ProcessMemory.heapRss(List.of(), 6L << 20));
        assertTrue(ProcessMemory.heapResidentKb() > 0, "this JVM's heap");
    }

    @Test
    void procStatusParsing() {
        ProcessMemory m = ProcessMemory.parse(List.of("Name:\tjava", "VmHWM:\t  204800 kB", "VmRSS:\t  102400 kB"));
        assertEquals(204800, m.peakKb());
        assertEquals(102400, m.currentKb());
        assertEquals("200 MB", ProcessMemory.mb(m.peakKb()));
        assertEquals("n/a", ProcessMemory.mb(ProcessMemory.parse(List.of()).peakKb()));
        assertEquals(2.0, Stopwatch.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Stopwatch.median(new double[] {4, 1, 2, 3}));
    }
}
