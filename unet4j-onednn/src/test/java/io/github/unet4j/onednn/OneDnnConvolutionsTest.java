package io.github.unet4j.onednn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.blocks.DoubleConv;
import io.github.unet4j.core.graph.Tape;
import io.github.unet4j.core.ops.Accelerators;
import io.github.unet4j.core.ops.ConvAccelerator;
import io.github.unet4j.core.ops.ConvAlgorithm;
import io.github.unet4j.core.ops.Precision;
import io.github.unet4j.core.testing.TestTensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** oneDNN's forward convolution equals ND4J's conv2d within float tolerance, and the network's forward too. */
class OneDnnConvolutionsTest {

    /** ND4J's conv2d with the op layer's arguments: stride 1, NCHW, weights OIHW. */
    private static INDArray nd4j(INDArray x, INDArray w, INDArray b, int k, Padding padding) {
        long pad = padding == Padding.SAME ? 0 : k - 1;
        INDArray y = Nd4j.create(x.dataType(), x.size(0), w.size(0), x.size(2) - pad, x.size(3) - pad);
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d").addOutputs(y)
                .addIntegerArguments(k, k, 1, 1, 0, 0, 1, 1, padding == Padding.SAME ? 1 : 0, 0, 1);
        op = b == null ? op.addInputs(x, w) : op.addInputs(x, w, b);
        Nd4j.exec(op.build());
        return y;
    }

    private static double relativeMax(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue() / Math.max(1e-30, b.amaxNumber().doubleValue());
    }

    /** A convolution's shape: batch, channels in and out, input size, kernel, padding, bias. */
    private record Case(int n, int cin, int cout, int size, int k, Padding padding, boolean bias) {
    }

    /**
     * 3x3 VALID and SAME, the 1x1 head, one input channel, channel counts not a multiple of
     * oneDNN's block of 16, batch 2, no bias.
     */
    private static final java.util.List<Case> CASES = java.util.List.of(new Case(1, 1, 8, 20, 3, Padding.VALID, true),
            new Case(1, 16, 32, 18, 3, Padding.VALID, true), new Case(2, 5, 7, 13, 3, Padding.SAME, true),
            new Case(1, 24, 2, 11, 1, Padding.VALID, true), new Case(1, 3, 4, 9, 3, Padding.VALID, false),
            new Case(1, 64, 64, 30, 3, Padding.VALID, true));

    @Test
    void equalsNd4jForEveryShapeTheNetworkUses() {
        OneDnnConvolutions fast = new OneDnnConvolutions();
        Nd4j.getRandom().setSeed(7);
        for (Case c : CASES) {
            int n = c.n();
            int cin = c.cin();
            int cout = c.cout();
            int size = c.size();
            int k = c.k();
            Padding p = c.padding();
            INDArray x = Nd4j.randn(DataType.FLOAT, n, cin, size, size);
            INDArray w = Nd4j.randn(DataType.FLOAT, cout, cin, k, k).muli(Math.sqrt(2.0 / (cin * k * k)));
            INDArray b = c.bias() ? Nd4j.randn(DataType.FLOAT, cout).muli(0.1) : null;
            assertTrue(fast.handles(x, w, k, p));
            INDArray expected = nd4j(x, w, b, k, p);
            INDArray y = Nd4j.create(DataType.FLOAT, expected.shape()).assign(Float.NaN);
            fast.conv2d(x, w, b, y, k, p);
            double d = relativeMax(y, expected);
            assertTrue(d < 1e-5, c.toString() + ": relative difference " + d);
            // Twice, with other values in the same shape: the cached primitive takes new arrays.
            INDArray x2 = Nd4j.randn(DataType.FLOAT, n, cin, size, size);
            fast.conv2d(x2, w, b, y, k, p);
            assertTrue(relativeMax(y, nd4j(x2, w, b, k, p)) < 1e-5, c.toString() + " again");
        }
    }

    /** ND4J's conv2d_bp: dL/dx, dL/dW and dL/db (if there is a bias). */
    private static INDArray[] nd4jBackward(INDArray x, INDArray w, INDArray b, INDArray g, int k, Padding padding) {
        INDArray dx = Nd4j.create(x.dataType(), x.shape());
        INDArray dw = Nd4j.create(x.dataType(), w.shape());
        INDArray db = b == null ? null : Nd4j.create(x.dataType(), b.shape());
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp")
                .addIntegerArguments(k, k, 1, 1, 0, 0, 1, 1, padding == Padding.SAME ? 1 : 0, 0, 1);
        op = b == null ? op.addInputs(x, w, g).addOutputs(dx, dw) : op.addInputs(x, w, b, g).addOutputs(dx, dw, db);
        Nd4j.exec(op.build());
        return new INDArray[] {dx, dw, db};
    }

    @Test
    void backwardEqualsNd4jForEveryShapeTheNetworkUses() {
        OneDnnConvolutions fast = new OneDnnConvolutions();
        Nd4j.getRandom().setSeed(11);
        for (Case c : CASES) {
            int n = c.n();
            int cin = c.cin();
            int cout = c.cout();
            int size = c.size();
            int k = c.k();
            Padding p = c.padding();
            INDArray x = Nd4j.randn(DataType.FLOAT, n, cin, size, size);
            INDArray w = Nd4j.randn(DataType.FLOAT, cout, cin, k, k).muli(Math.sqrt(2.0 / (cin * k * k)));
            INDArray b = c.bias() ? Nd4j.randn(DataType.FLOAT, cout).muli(0.1) : null;
            long out = p == Padding.SAME ? size : size - k + 1;
            for (int round = 0; round < 2; round++) { // twice: the cached primitives take new arrays
                INDArray g = Nd4j.randn(DataType.FLOAT, n, cout, out, out);
                INDArray[] expected = nd4jBackward(x, w, b, g, k, p);
                INDArray dx = Nd4j.create(DataType.FLOAT, x.shape()).assign(Float.NaN);
                INDArray dw = Nd4j.create(DataType.FLOAT, w.shape()).assign(Float.NaN);
                INDArray db = b == null ? null : Nd4j.create(DataType.FLOAT, b.shape()).assign(Float.NaN);
                fast.conv2dBackward(x, w, g, dx, dw, db, k, p);
                String name = c.toString() + " round " + round;
                assertTrue(relativeMax(dx, expected[0]) < 1e-5, name + ": dx differs by " + relativeMax(dx, expected[0]));
                assertTrue(relativeMax(dw, expected[1]) < 1e-5, name + ": dW differs by " + relativeMax(dw, expected[1]));
                if (b != null) {
                    assertTrue(relativeMax(db, expected[2]) < 1e-5, name + ": db differs by "
                            + relativeMax(db, expected[2]));
                }
                x = Nd4j.randn(DataType.FLOAT, n, cin, size, size);
            }
        }
    }

    /** ND4J's deconv2d (outputs[0]) or deconv2d_bp (dx, dW, db) with the op layer's arguments: kernel = stride, [inC, outC, k, k]. */
    private static INDArray[] nd4jUp(INDArray x, INDArray w, INDArray b, INDArray g, int k) {
        int[] args = {k, k, k, k, 0, 0, 1, 1, 0, 0, 1};
        if (g == null) {
            INDArray y = Nd4j.create(DataType.FLOAT, x.size(0), w.size(1), x.size(2) * k, x.size(3) * k);
            DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("deconv2d").addOutputs(y)
                    .addIntegerArguments(args);
            Nd4j.exec((b == null ? op.addInputs(x, w) : op.addInputs(x, w, b)).build());
            return new INDArray[] {y};
        }
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dw = Nd4j.create(DataType.FLOAT, w.shape());
        INDArray db = b == null ? null : Nd4j.create(DataType.FLOAT, b.shape());
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("deconv2d_bp").addIntegerArguments(args);
        op = b == null ? op.addInputs(x, w, g).addOutputs(dx, dw) : op.addInputs(x, w, b, g).addOutputs(dx, dw, db);
        Nd4j.exec(op.build());
        return new INDArray[] {dx, dw, db};
    }

    @Test
    void upConvolutionEqualsNd4jForwardAndBackward() {
        OneDnnConvolutions fast = new OneDnnConvolutions();
        Nd4j.getRandom().setSeed(13);
        // (batch, in, out, size, kernel, bias): the paper's 2x2 halving channels, odd sizes, batch 2, 3x3.
        Object[][] cases = {{1, 32, 16, 14, 2, true}, {2, 12, 6, 7, 2, true}, {1, 5, 3, 9, 3, false},
            {1, 128, 64, 20, 2, true}};
        for (Object[] c : cases) {
            int n = (Integer) c[0];
            int cin = (Integer) c[1];
            int cout = (Integer) c[2];
            int size = (Integer) c[3];
            int k = (Integer) c[4];
            INDArray x = Nd4j.randn(DataType.FLOAT, n, cin, size, size);
            INDArray w = Nd4j.randn(DataType.FLOAT, cin, cout, k, k).muli(Math.sqrt(2.0 / cin));
            INDArray b = (Boolean) c[5] ? Nd4j.randn(DataType.FLOAT, cout).muli(0.1) : null;
            String name = java.util.Arrays.toString(c);
            assertTrue(fast.handlesUpConvolution(x, w, k), name);
            INDArray expected = nd4jUp(x, w, b, null, k)[0];
            INDArray y = Nd4j.create(DataType.FLOAT, expected.shape()).assign(Float.NaN);
            fast.upConvolution(x, w, b, y, k);
            assertTrue(relativeMax(y, expected) < 1e-5, name + ": y differs by " + relativeMax(y, expected));
            INDArray g = Nd4j.randn(DataType.FLOAT, expected.shape());
            INDArray[] e = nd4jUp(x, w, b, g, k);
            INDArray dx = Nd4j.create(DataType.FLOAT, x.shape()).assign(Float.NaN);
            INDArray dw = Nd4j.create(DataType.FLOAT, w.shape()).assign(Float.NaN);
            INDArray db = b == null ? null : Nd4j.create(DataType.FLOAT, b.shape()).assign(Float.NaN);
            fast.upConvolutionBackward(x, w, g, dx, dw, db, k);
            assertTrue(relativeMax(dx, e[0]) < 1e-5, name + ": dx differs by " + relativeMax(dx, e[0]));
            assertTrue(relativeMax(dw, e[1]) < 1e-5, name + ": dW differs by " + relativeMax(dw, e[1]));
            if (b != null) {
                assertTrue(relativeMax(db, e[2]) < 1e-5, name + ": db differs by " + relativeMax(db, e[2]));
            }
        }
    }

    /**
     * Shapes that the smallest band splits into many bands: of one or two output rows (for the
     * VALID and SAME 3x3 convolutions, whose input rows overlap and whose SAME padding is a
     * band's at the top and bottom only), the first one-channel convolution, batch 2, the
     * up-convolution's bands of input rows; SAME in bands of one row, whose second band also reads
     * row 0.
     */
    private static final java.util.List<Case> BANDED = java.util.List.of(new Case(1, 4, 8, 40, 3, Padding.VALID, true),
            new Case(2, 5, 7, 21, 3, Padding.SAME, true), new Case(1, 1, 16, 44, 3, Padding.VALID, true),
            new Case(1, 16, 16, 36, 3, Padding.SAME, false), new Case(1, 16, 16, 37, 3, Padding.VALID, true),
            new Case(1, 2, 4, 200, 3, Padding.SAME, true));

    /**
     * Split into bands of rows (of one or two output rows), a convolution and an up-convolution,
     * forward and backward, equal ND4J's in one call, within the same float tolerance: the
     * overlapping input rows' gradients are added, the parameter gradients summed over bands and
     * written over what the arrays held; in direct and Winograd and, where the CPU has it, bf16.
     */
    @Test
    void bandsOfRowsEqualOneCall() {
        java.util.List<OneDnnConvolutions> modes = new java.util.ArrayList<>();
        modes.add(new OneDnnConvolutions(1, Long.MAX_VALUE));
        OneDnnConvolutions wino = new OneDnnConvolutions(1, Long.MAX_VALUE);
        if (wino.unsupported(Precision.FP32, ConvAlgorithm.WINOGRAD) == null) {
            wino.setAlgorithm(ConvAlgorithm.WINOGRAD);
            modes.add(wino);
        }
        OneDnnConvolutions bf16 = new OneDnnConvolutions(1, Long.MAX_VALUE);
        if (bf16.unsupported(Precision.BF16, ConvAlgorithm.DIRECT) == null) {
            bf16.setPrecision(Precision.BF16);
            modes.add(bf16);
        }
        Nd4j.getRandom().setSeed(31);
        for (OneDnnConvolutions fast : modes) {
            boolean rounded = fast.precision() == Precision.BF16;
            for (Case c : BANDED) {
                int k = c.k();
                Padding p = c.padding();
                INDArray x = Nd4j.randn(DataType.FLOAT, c.n(), c.cin(), c.size(), c.size());
                INDArray w = Nd4j.randn(DataType.FLOAT, c.cout(), c.cin(), k, k).muli(Math.sqrt(2.0 / (c.cin() * k * k)));
                INDArray b = c.bias() ? Nd4j.randn(DataType.FLOAT, c.cout()).muli(0.1) : null;
                long out = p == Padding.SAME ? c.size() : c.size() - k + 1;
                INDArray g = Nd4j.randn(DataType.FLOAT, c.n(), c.cout(), out, out);
                String name = fast.precision().label() + " " + fast.algorithm().label() + " " + c;
                long calls = fast.calls();
                long bands = fast.bandCalls();
                INDArray y = Nd4j.create(DataType.FLOAT, c.n(), c.cout(), out, out).assign(Float.NaN);
                fast.conv2d(x, w, b, y, k, p);
                INDArray dx = Nd4j.create(DataType.FLOAT, x.shape()).assign(Float.NaN);
                INDArray dw = Nd4j.create(DataType.FLOAT, w.shape()).assign(Float.NaN);
                INDArray db = b == null ? null : Nd4j.create(DataType.FLOAT, b.shape()).assign(Float.NaN);
                fast.conv2dBackward(x, w, g, dx, dw, db, k, p);
                assertEquals(calls + 2, fast.calls());
                assertTrue(fast.bandCalls() - bands >= 2 * 4, name + ": split into at least 4 bands each way, was "
                        + (fast.bandCalls() - bands));
                INDArray xr = rounded ? bf16(x) : x;
                INDArray wr = rounded ? bf16(w) : w;
                assertTrue(relativeMax(y, nd4j(xr, wr, b, k, p)) < 1e-5, name + ": y differs by "
                        + relativeMax(y, nd4j(xr, wr, b, k, p)));
                INDArray[] e = nd4jBackward(xr, wr, b, rounded ? bf16(g) : g, k, p);
                assertTrue(relativeMax(dx, e[0]) < 1e-5, name + ": dx differs by " + relativeMax(dx, e[0]));
                assertTrue(relativeMax(dw, e[1]) < 1e-5, name + ": dW differs by " + relativeMax(dw, e[1]));
                if (b != null) {
                    assertTrue(relativeMax(db, e[2]) < 1e-5, name + ": db differs by " + relativeMax(db, e[2]));
                }
            }
            INDArray x = Nd4j.randn(DataType.FLOAT, 2, 8, 15, 15);
            INDArray w = Nd4j.randn(DataType.FLOAT, 8, 4, 2, 2).muli(0.5);
            INDArray b = Nd4j.randn(DataType.FLOAT, 4).muli(0.1);
            INDArray xr = rounded ? bf16(x) : x;
            INDArray wr = rounded ? bf16(w) : w;
            long bands = fast.bandCalls();
            INDArray y = Nd4j.create(DataType.FLOAT, 2, 4, 30, 30).assign(Float.NaN);
            fast.upConvolution(x, w, b, y, 2);
            assertTrue(fast.bandCalls() - bands >= 5, "split into bands: " + (fast.bandCalls() - bands));
            assertTrue(relativeMax(y, nd4jUp(xr, wr, b, null, 2)[0]) < 1e-5, "up-convolution in bands");
            INDArray g = Nd4j.randn(DataType.FLOAT, y.shape());
            INDArray[] e = nd4jUp(xr, wr, b, rounded ? bf16(g) : g, 2);
            INDArray dx = Nd4j.create(DataType.FLOAT, x.shape()).assign(Float.NaN);
            INDArray dw = Nd4j.create(DataType.FLOAT, w.shape()).assign(Float.NaN);
            INDArray db = Nd4j.create(DataType.FLOAT, b.shape()).assign(Float.NaN);
            fast.upConvolutionBackward(x, w, g, dx, dw, db, 2);
            assertTrue(relativeMax(dx, e[0]) < 1e-5, "up dx " + relativeMax(dx, e[0]));
            assertTrue(relativeMax(dw, e[1]) < 1e-5, "up dW " + relativeMax(dw, e[1]));
            assertTrue(relativeMax(db, e[2]) < 1e-5, "up db " + relativeMax(db, e[2]));
        }
        if (modes.contains(wino)) {
            assertTrue(wino.implementations().stream().filter(i -> i.contains("wino")).count() > 10,
                    "Winograd ran on bands: " + wino.implementations());
        }
    }

    /**
     * A Winograd primitive whose scratchpad is over the limit runs direct: the bottom levels'
     * transformed kernels would otherwise set the peak memory. Where the limit allows it, the same
     * shape runs in Winograd.
     */
    @Test
    void winogradOverItsScratchLimitRunsDirect() {
        OneDnnConvolutions wide = new OneDnnConvolutions(Long.MAX_VALUE, Long.MAX_VALUE);
        org.junit.jupiter.api.Assumptions.assumeTrue(wide.unsupported(Precision.FP32, ConvAlgorithm.WINOGRAD) == null,
                "no Winograd here: " + wide.describe());
        OneDnnConvolutions tight = new OneDnnConvolutions(Long.MAX_VALUE, 1024);
        Case c = new Case(1, 64, 64, 30, 3, Padding.VALID, true);
        for (OneDnnConvolutions fast : java.util.List.of(wide, tight)) {
            fast.setAlgorithm(ConvAlgorithm.WINOGRAD);
            double[] e = errors(fast, c, 37);
            for (double d : e) {
                assertTrue(d < 1e-5, "error " + d);
            }
        }
        assertTrue(wide.implementations().stream().allMatch(i -> i.contains("wino")), wide.implementations().toString());
        assertTrue(tight.implementations().stream().noneMatch(i -> i.contains("wino")),
                tight.implementations().toString());
    }

    /** a rounded to bfloat16 and back: what a bf16 primitive reads. */
    private static INDArray bf16(INDArray a) {
        return a.castTo(DataType.BFLOAT16).castTo(DataType.FLOAT);
    }

    /** The fastest precision is bf16 exactly where the accelerator in use can compute in it. */
    @Test
    void theFastestPrecisionIsBf16WhereTheCpuHasIt() {
        ConvAccelerator fast = Accelerators.conv();
        assertNotNull(fast, "unet4j-onednn is on this module's class path");
        assertEquals(fast.unsupported(Precision.BF16, ConvAlgorithm.DIRECT) == null ? Precision.BF16 : Precision.FP32,
                Accelerators.fastest());
        Accelerators.setPrecision(Accelerators.fastest());
        assertEquals(Accelerators.fastest(), Accelerators.precision());
        Accelerators.setPrecision(Precision.FP32);
    }

    /**
     * With the oneDNN accelerator, auto is bf16 direct where the CPU has bf16, else fp32 in
     * Winograd where the CPU has it, else fp32 direct; a given half is kept and the other chosen
     * to suit it; set applies the pair whatever was set before (bf16 after Winograd, which alone
     * would be refused).
     */
    @Test
    void autoPicksBf16WhereAvailableElseWinogradInFp32() {
        ConvAccelerator fast = Accelerators.conv();
        boolean wino = fast.unsupported(Precision.FP32, ConvAlgorithm.WINOGRAD) == null;
        boolean bf16Here = fast.unsupported(Precision.BF16, ConvAlgorithm.DIRECT) == null;
        assertEquals(bf16Here ? Precision.BF16 : Precision.FP32, Accelerators.fastest());
        Accelerators.Choice auto = Accelerators.choose(null, null);
        assertEquals(bf16Here ? new Accelerators.Choice(Precision.BF16, ConvAlgorithm.DIRECT)
                : new Accelerators.Choice(Precision.FP32, wino ? ConvAlgorithm.WINOGRAD : ConvAlgorithm.DIRECT), auto);
        assertEquals(new Accelerators.Choice(Accelerators.fastest(), ConvAlgorithm.DIRECT),
                Accelerators.choose(null, ConvAlgorithm.DIRECT));
        assertEquals(Precision.FP32, Accelerators.choose(null, ConvAlgorithm.WINOGRAD).precision());
        try {
            Accelerators.set(auto);
            assertEquals(auto, new Accelerators.Choice(Accelerators.precision(), Accelerators.algorithm()));
            Accelerators.Choice bf16 = Accelerators.choose(Precision.BF16, null);
            assertEquals(ConvAlgorithm.DIRECT, bf16.algorithm(), "Winograd has no bf16");
            if (fast.unsupported(Precision.BF16, ConvAlgorithm.DIRECT) == null) {
                Accelerators.set(bf16);
                assertEquals(Precision.BF16, Accelerators.precision());
            }
        } finally {
            Accelerators.set(new Accelerators.Choice(Precision.FP32, ConvAlgorithm.DIRECT));
        }
    }

    /**
     * In bf16, a convolution and an up-convolution, forward and backward, equal ND4J's float32
     * ones on inputs rounded to bfloat16 (sums in float32), and differ from the unrounded ones by
     * bfloat16's rounding, not float32's: bf16 is really used.
     */
    @Test
    void bf16ReadsBfloat16AndSumsInFloat32() {
        OneDnnConvolutions fast = new OneDnnConvolutions();
        org.junit.jupiter.api.Assumptions.assumeTrue(fast.unsupported(Precision.BF16, ConvAlgorithm.DIRECT) == null,
                "no avx512_bf16 here: " + fast.describe());
        fast.setPrecision(Precision.BF16);
        Nd4j.getRandom().setSeed(17);
        INDArray x = Nd4j.randn(DataType.FLOAT, 1, 32, 20, 20);
        INDArray w = Nd4j.randn(DataType.FLOAT, 48, 32, 3, 3).muli(0.08);
        INDArray b = Nd4j.randn(DataType.FLOAT, 48).muli(0.1);
        INDArray y = Nd4j.create(DataType.FLOAT, 1, 48, 18, 18);
        fast.conv2d(x, w, b, y, 3, Padding.VALID);
        assertTrue(relativeMax(y, nd4j(bf16(x), bf16(w), b, 3, Padding.VALID)) < 1e-5, "forward");
        double rounding = relativeMax(y, nd4j(x, w, b, 3, Padding.VALID));
        assertTrue(rounding > 1e-4 && rounding < 3e-2, "bf16's rounding shows: " + rounding);
        INDArray g = Nd4j.randn(DataType.FLOAT, 1, 48, 18, 18);
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dw = Nd4j.create(DataType.FLOAT, w.shape());
        INDArray db = Nd4j.create(DataType.FLOAT, b.shape());
        fast.conv2dBackward(x, w, g, dx, dw, db, 3, Padding.VALID);
        INDArray[] e = nd4jBackward(bf16(x), bf16(w), b, bf16(g), 3, Padding.VALID);
        assertTrue(relativeMax(dx, e[0]) < 1e-5, "dx " + relativeMax(dx, e[0]));
        assertTrue(relativeMax(dw, e[1]) < 1e-5, "dW " + relativeMax(dw, e[1]));
        assertTrue(relativeMax(db, e[2]) < 1e-5, "db " + relativeMax(db, e[2]));
        INDArray wu = Nd4j.randn(DataType.FLOAT, 32, 16, 2, 2).muli(0.2);
        INDArray yu = Nd4j.create(DataType.FLOAT, 1, 16, 40, 40);
        fast.upConvolution(x, wu, null, yu, 2);
        assertTrue(relativeMax(yu, nd4jUp(bf16(x), bf16(wu), null, null, 2)[0]) < 1e-5, "up-convolution");
        fast.setPrecision(Precision.FP32);
        fast.conv2d(x, w, b, y, 3, Padding.VALID);
        assertTrue(relativeMax(y, nd4j(x, w, b, 3, Padding.VALID)) < 1e-5, "back in fp32");
    }

    /**
     * In bf16 a convolution's dL/dW reads its input rounded to bfloat16 anyway, so a double
     * convolution whose inner activation is stored in bfloat16 between forward and backward
     * (Activations.KEEP_BF16) gives the very gradients of keeping it in float: bit for bit. In
     * fp32 the second convolution's dL/dW differs (it reads the rounded activation): the
     * activation was stored in bfloat16.
     */
    @Test
    void inBf16KeepingActivationsInBfloat16GivesTheSameGradientsBitForBit() {
        OneDnnConvolutions fast = (OneDnnConvolutions) Accelerators.conv();
        org.junit.jupiter.api.Assumptions.assumeTrue(fast.unsupported(Precision.BF16, ConvAlgorithm.DIRECT) == null,
                "no avx512_bf16 here: " + fast.describe());
        Accelerators.setPrecision(Precision.BF16);
        try {
            List<float[]> keep = doubleConvGradients(Activations.KEEP);
            List<float[]> bf16 = doubleConvGradients(Activations.KEEP_BF16);
            for (int i = 0; i < keep.size(); i++) {
                assertArrayEquals(keep.get(i), bf16.get(i), i == 0 ? "dL/dx" : "parameter " + (i - 1));
            }
        } finally {
            Accelerators.setPrecision(Precision.FP32);
        }
        float[] keep = doubleConvGradients(Activations.KEEP).get(3);
        float[] bf16 = doubleConvGradients(Activations.KEEP_BF16).get(3);
        assertFalse(java.util.Arrays.equals(keep, bf16), "fp32: conv2's dL/dW reads the stored activation rounded");
    }

    /** @return dL/dx, then each parameter's gradient, of one step of a 16 -> 32 double convolution */
    private static List<float[]> doubleConvGradients(Activations activations) {
        Tape t = Tape.of(new DoubleConv("inc", 16, 32, Padding.VALID, false, DataType.FLOAT));
        List<Parameter> ps = t.parameters();
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).value().assign(TestTensors.awayFromZero(10 + i, DataType.FLOAT, ps.get(i).value().shape()).muli(0.1));
        }
        t.setActivations(activations);
        INDArray y = t.forward(TestTensors.awayFromZero(4, DataType.FLOAT, 1, 16, 28, 28), Mode.TRAIN);
        List<float[]> seen = new ArrayList<>();
        seen.add(t.backward(TestTensors.awayFromZero(7, DataType.FLOAT, y.shape())).dup('c').data().asFloat());
        for (Parameter p : ps) {
            seen.add(p.grad().dup('c').data().asFloat());
        }
        return seen;
    }

    @Test
    void viewsAtAnOffsetAreReadWhereTheyStart() {
        OneDnnConvolutions fast = new OneDnnConvolutions();
        INDArray big = Nd4j.randn(DataType.FLOAT, 3, 4, 10, 10);
        INDArray x = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)); // offset 400
        INDArray w = Nd4j.randn(DataType.FLOAT, 6, 4, 3, 3);
        assertTrue(fast.handles(x, w, 3, Padding.VALID), "a contiguous view is handled");
        INDArray y = Nd4j.create(DataType.FLOAT, 1, 6, 8, 8);
        fast.conv2d(x, w, null, y, 3, Padding.VALID);
        assertTrue(relativeMax(y, nd4j(x.dup(), w, null, 3, Padding.VALID)) < 1e-5, "read from the view's start");
        // Not handled: doubles, strided views, even kernels.
        assertFalse(fast.handles(x.castTo(DataType.DOUBLE), w.castTo(DataType.DOUBLE), 3, Padding.VALID));
        assertFalse(fast.handles(big.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), Nd4j.randn(DataType.FLOAT, 6, 2, 3, 3), 3,
                Padding.VALID));
        assertFalse(fast.handles(x, Nd4j.randn(DataType.FLOAT, 6, 4, 2, 2), 2, Padding.SAME));
    }

    @Test
    void theOpLayerUsesItAndTheNetworkForwardIsUnchanged() {
        ConvAccelerator found = Accelerators.conv();
        assertNotNull(found, "found on the class path as a service");
        assertTrue(found.describe().startsWith("convolutions by oneDNN 2.5"), found.describe());
        assertEquals(Precision.FP32, found.precision(), "fp32 unless asked");
        UNetConfig config = UNetConfig.paper().withDepth(3).withBaseChannels(8);
        UNet net = new UNet(config, DataType.FLOAT, 5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 1, 60, 60);
        long before = ((OneDnnConvolutions) found).calls();
        INDArray fast = net.forward(x, Mode.INFER).dup();
        assertEquals(before + 2 * 3 + 2 * 2 + 1 + 2, ((OneDnnConvolutions) found).calls(),
                "every 3x3 convolution, both up-convolutions and the 1x1 head ran on oneDNN");
        // The same network in double runs on ND4J alone (the accelerator takes float only).
        UNet reference = new UNet(config, DataType.DOUBLE, 5);
        INDArray slow = reference.forward(x.castTo(DataType.DOUBLE), Mode.INFER).castTo(DataType.FLOAT);
        assertEquals(slow.shapeInfoToString(), fast.shapeInfoToString());
        double d = relativeMax(fast, slow);
        assertTrue(d < 1e-4, "network logits differ by " + d + " of their largest");
    }

    /**
     * A training step's gradients with every convolution's backward on oneDNN equal the double
     * network's (ND4J alone) within the float tolerance of core's whole-network test, and are
     * added into the parameters' gradients, not written over them.
     */
    @Test
    void theNetworksGradientsAreUnchanged() {
        networkGradientsEqualDoubles(8);
    }

    /**
     * The same in Winograd (16 channels at the top: every 3x3 convolution a shape oneDNN's
     * Winograd takes), within the same tolerance.
     */
    @Test
    void theNetworksGradientsAreUnchangedInWinograd() {
        OneDnnConvolutions found = (OneDnnConvolutions) Accelerators.conv();
        long before = winograds(found);
        Accelerators.setAlgorithm(ConvAlgorithm.WINOGRAD);
        try {
            networkGradientsEqualDoubles(16);
        } finally {
            Accelerators.setAlgorithm(ConvAlgorithm.DIRECT);
        }
        assertEquals(before + 3 * 2 * (2 + 2 + 1), winograds(found),
                "the ten 3x3 convolutions ran in Winograd, forward and backward: " + found.implementations());
    }

    private static long winograds(OneDnnConvolutions fast) {
        return fast.implementations().stream().filter(i -> i.contains("wino")).count();
    }

    private static void networkGradientsEqualDoubles(int baseChannels) {
        OneDnnConvolutions found = (OneDnnConvolutions) Accelerators.conv();
        UNetConfig config = UNetConfig.paper().withDepth(3).withBaseChannels(baseChannels);
        UNet f = new UNet(config, DataType.FLOAT, 5);
        UNet d = new UNet(config, DataType.DOUBLE, 5);
        TestTensors.nonZeroBiases(d.parameters(), 1);
        TestTensors.copyValues(d.parameters(), f.parameters());
        INDArray x = TestTensors.awayFromZero(3, DataType.DOUBLE, 2, 1, 60, 60);
        d.dropout().reseed(9); // the paper's dropout: the same mask in every pass
        INDArray yd = d.forward(x, Mode.TRAIN);
        INDArray g = TestTensors.awayFromZero(8, DataType.DOUBLE, yd.shape());
        INDArray dxd = d.backward(g);
        long before = found.calls();
        for (int pass = 0; pass < 2; pass++) { // twice without zeroGrad: the gradients add up
            f.dropout().reseed(9);
            f.forward(x.castTo(DataType.FLOAT), Mode.TRAIN);
            INDArray dxf = f.backward(g.castTo(DataType.FLOAT));
            double e = TestTensors.relativeNormError(dxf, dxd);
            assertTrue(e < 1e-4, "pass " + pass + ": dL/dx differs by " + e);
        }
        assertEquals(before + 2 * 2 * (2 * 3 + 2 * 2 + 1 + 2), found.calls(),
                "every forward and backward convolution and up-convolution ran on oneDNN");
        for (int i = 0; i < d.parameters().size(); i++) {
            INDArray twice = d.parameters().get(i).grad().mul(2);
            double e = TestTensors.relativeNormError(f.parameters().get(i).grad(), twice);
            assertTrue(e < 1e-4, d.parameters().get(i).name() + " differs by " + e);
        }
    }

    /** The largest error relative to the reference's largest magnitude, against a double reference. */
    private static double error(INDArray fast, INDArray exact) {
        return relativeMax(fast.castTo(DataType.DOUBLE), exact);
    }

    private static double[] errors(OneDnnConvolutions fast, Case c, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int k = c.k();
        INDArray x = Nd4j.randn(DataType.FLOAT, c.n(), c.cin(), c.size(), c.size());
        INDArray w = Nd4j.randn(DataType.FLOAT, c.cout(), c.cin(), k, k).muli(Math.sqrt(2.0 / (c.cin() * k * k)));
        INDArray b = Nd4j.randn(DataType.FLOAT, c.cout()).muli(0.1);
        long out = c.padding() == Padding.SAME ? c.size() : c.size() - k + 1;
        INDArray g = Nd4j.randn(DataType.FLOAT, c.n(), c.cout(), out, out);
        INDArray ey = nd4j(x.castTo(DataType.DOUBLE), w.castTo(DataType.DOUBLE), b.castTo(DataType.DOUBLE), k,
                c.padding());
        INDArray[] e = nd4jBackward(x.castTo(DataType.DOUBLE), w.castTo(DataType.DOUBLE), b.castTo(DataType.DOUBLE),
                g.castTo(DataType.DOUBLE), k, c.padding());
        INDArray y = Nd4j.create(DataType.FLOAT, ey.shape());
        fast.conv2d(x, w, b, y, k, c.padding());
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dw = Nd4j.create(DataType.FLOAT, w.shape());
        INDArray db = Nd4j.create(DataType.FLOAT, b.shape());
        fast.conv2dBackward(x, w, g, dx, dw, db, k, c.padding());
        return new double[] {error(y, ey), error(dx, e[0]), error(dw, e[1]), error(db, e[2])};
    }

    /**
     * Winograd: oneDNN really runs it (its implementation's name says so) for the 3x3
     * convolutions, direct for the 1x1 head; forward, dL/dx, dL/dW and dL/db stay within the same
     * float tolerance as direct's against ND4J (1e-5 of their largest magnitude, here against a
     * double-precision reference), and each forward's error is measurably larger than direct
     * summation's: the transforms' rounding shows, so Winograd is what ran.
     */
    @Test
    void winogradIsUsedForThe3x3ConvolutionsAndStaysWithinTheFloatTolerance() {
        OneDnnConvolutions direct = new OneDnnConvolutions();
        OneDnnConvolutions wino = new OneDnnConvolutions();
        wino.setAlgorithm(ConvAlgorithm.WINOGRAD);
        assertEquals(ConvAlgorithm.WINOGRAD, wino.algorithm());
        java.util.List<Case> cases = java.util.List.of(new Case(1, 16, 32, 18, 3, Padding.VALID, true),
                new Case(1, 64, 64, 30, 3, Padding.VALID, true), new Case(2, 32, 16, 12, 3, Padding.SAME, true),
                new Case(1, 128, 64, 22, 3, Padding.VALID, true), new Case(1, 1, 16, 20, 3, Padding.VALID, true));
        for (Case c : cases) {
            double[] d = errors(direct, c, 23);
            double[] w = errors(wino, c, 23);
            for (int i = 0; i < 4; i++) {
                assertTrue(w[i] < 1e-5, c + ": Winograd's error in output " + i + " is " + w[i]);
            }
            assertTrue(w[0] > 2 * d[0], c + ": Winograd's rounding shows in the forward: " + w[0] + " against "
                    + d[0] + " direct");
        }
        java.util.List<String> used = wino.implementations();
        assertEquals(3 * cases.size(), used.size(), used.toString());
        assertTrue(used.stream().allMatch(i -> i.contains("wino")), "every operation in Winograd: " + used);
        assertTrue(direct.implementations().stream().noneMatch(i -> i.contains("wino")),
                direct.implementations().toString());
        errors(wino, new Case(1, 24, 2, 11, 1, Padding.VALID, true), 29);
        java.util.List<String> head = wino.implementations().subList(used.size(), used.size() + 3);
        assertTrue(head.stream().noneMatch(i -> i.contains("wino")), "the 1x1 head stays direct: " + head);
    }

    /** Winograd computes in float32 only: bf16 with it is refused, in either order, with the reason. */
    @Test
    void winogradAndBf16AreRefusedTogether() {
        OneDnnConvolutions fast = new OneDnnConvolutions();
        org.junit.jupiter.api.Assumptions.assumeTrue(fast.unsupported(Precision.BF16, ConvAlgorithm.DIRECT) == null,
                "no avx512_bf16 here: " + fast.describe());
        assertTrue(fast.unsupported(Precision.BF16, ConvAlgorithm.WINOGRAD).contains("float32 only"));
        fast.setAlgorithm(ConvAlgorithm.WINOGRAD);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> fast.setPrecision(Precision.BF16));
        assertTrue(e.getMessage().contains("precision bf16") && e.getMessage().contains("float32 only"), e.getMessage());
        fast.setAlgorithm(ConvAlgorithm.DIRECT);
        fast.setPrecision(Precision.BF16);
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> fast.setAlgorithm(ConvAlgorithm.WINOGRAD));
        assertTrue(e.getMessage().contains("algorithm winograd") && e.getMessage().contains("not bf16"), e.getMessage());
        assertEquals(ConvAlgorithm.DIRECT, fast.algorithm());
    }
}
