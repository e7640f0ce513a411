package io.github.unet4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.ops.ConvAccelerator;
import io.github.unet4j.core.ops.ConvAlgorithm;
import io.github.unet4j.core.ops.Precision;
import io.github.unet4j.core.ops.RowBands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_version_t;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The op layer's convolutions and up-convolutions (forward, backward to the input, backward to
 * the weights and bias)
 * through oneDNN 2.5 called directly: ND4J's NCHW float arrays are handed to oneDNN in place,
 * reordered into the blocked layout oneDNN picks for the shape and back (as ND4J's own helper
 * does), and the primitives are created once per shape and kept. Measured against ND4J's
 * ops in docs/performance.md ("The table").
 *
 * <p>Large operations run over bands of rows ({@link RowBands}, about {@link #DEFAULT_BAND_BYTES}
 * of input and output each): oneDNN reads and writes the bands in place through strided
 * descriptors, so its blocked copies and Winograd's transformed tiles are a band's, and the
 * bands' overlapping input-gradient rows and parameter gradients are added by the reorders
 * back (oneDNN's sum post-op). All plans share one scratch array for their copies and their
 * primitives' scratchpads; Winograd runs only where its scratchpad fits a limit (the paper's
 * bottom levels run direct). Why, in numbers: docs/performance.md ("Memory: bands and the Winograd limit").
 *
 * <p>Float32 arrays only (double runs, the gradient checks, stay on ND4J), stride-1 convolutions
 * (VALID or SAME with an odd kernel) and up-convolutions (kernel = stride), contiguous arrays.
 * In {@link Precision#BF16} the reorders into oneDNN's layout also round what a primitive reads
 * to bfloat16; it sums and writes in float32, so the arrays ND4J sees stay float32. One call at a
 * time ({@link Dnnl} shares its scratch arrays).
 */
public final class OneDnnConvolutions implements ConvAccelerator {

    /** Default band: input plus output bytes of one band's call (see {@link #bandBytes}). */
    static final long DEFAULT_BAND_BYTES = 16L << 20;
    private final Dnnl dnnl = new Dnnl();
    private final Map<Key, Convolution> convolutions = new LinkedHashMap<>();
    private final long bandBytes;
    private final long winogradScratchBytes;
    private long calls;
    private long bandCalls;
    private volatile Precision precision = Precision.FP32;
    private volatile ConvAlgorithm algorithm = ConvAlgorithm.DIRECT;

    /**
     * Creates oneDNN's CPU engine and stream, with bands of {@link #DEFAULT_BAND_BYTES} and
     * Winograd where its scratchpad is at most 4 bands, or as the system properties
     * {@code unet4j.onednn.bandBytes} and {@code unet4j.onednn.winogradScratchBytes} say (bytes;
     * {@code 9223372036854775807} for one call per operation, or Winograd at any size).
     */
    public OneDnnConvolutions() {
        this(RowBands.bytesProperty("unet4j.onednn.bandBytes", DEFAULT_BAND_BYTES));
    }

    private OneDnnConvolutions(long bandBytes) {
        this(bandBytes, RowBands.bytesProperty("unet4j.onednn.winogradScratchBytes", defaultWinogradScratchBytes(bandBytes)));
    }

    /**
     * @param bandBytes            input plus output bytes one call of a primitive touches at most
     *                             (a band is at least one row and 4x the weights);
     *                             {@code Long.MAX_VALUE} for one call per operation
     * @param winogradScratchBytes the most scratchpad a Winograd primitive may take; a shape that
     *                             needs more runs direct
     */
    OneDnnConvolutions(long bandBytes, long winogradScratchBytes) {
        if (bandBytes < 1 || winogradScratchBytes < 0) {
            throw new IllegalArgumentException("OneDnnConvolutions: band size must be >= 1 byte and the Winograd "
                    + "scratchpad limit >= 0, got " + bandBytes + " and " + winogradScratchBytes);
        }
        this.bandBytes = bandBytes;
        this.winogradScratchBytes = winogradScratchBytes;
    }

    /** A convolution (stride 1) or the up-convolution (a transposed convolution, kernel = stride). */
    private enum Kind { CONV, DECONV }

    private record Key(Kind kind, Precision precision, ConvAlgorithm algorithm, long n, long cin, long cout, long h, long w, int k, boolean same, boolean bias) {
        long pad() {
            return same ? (k - 1) / 2 : 0;
        }

        long oh() {
            return kind == Kind.DECONV ? h * k : h - k + 1 + 2 * pad();
        }

        long ow() {
            return kind == Kind.DECONV ? w * k : w - k + 1 + 2 * pad();
        }

        long[] strides() {
            return kind == Kind.DECONV ? new long[] {k, k} : new long[] {1, 1};
        }

        /** ND4J's kernel layout: {@code [outC, inC, k, k]} for a convolution, {@code [inC, outC, k, k]} for the up-convolution. */
        int weightsTag() {
            return kind == Kind.DECONV ? dnnl_iohw : dnnl_oihw;
        }
    }

    /**
     * A band of an operation: output rows {@code [outFrom, outTo)} computed from input rows
     * {@code [inFrom, inTo)} and the zero rows the padding adds above and below; its input
     * gradient's first {@code shared} rows are also the band before's (k - 1 for a convolution,
     * none for the up-convolution), so they are added to, and a parameter gradient is added to
     * unless the band is the first.
     */
    private record Band(long outFrom, long outTo, long inFrom, long inTo, long padTop, long padBottom, long shared) {
        Shape shape() {
            // The first by its output rows: a SAME convolution's second band of one row also reads from row 0.
            return new Shape(outTo - outFrom, inTo - inFrom, padTop, padBottom, shared, outFrom == 0);
        }
    }

    /** What a band's primitives depend on: bands of one shape share them. */
    private record Shape(long outRows, long inRows, long padTop, long padBottom, long shared, boolean first) {
    }

    /** One band shape's three primitives; the backward ones are made at the first backward. */
    private static final class Plans {
        dnnl_primitive_desc forwardDesc;
        Dnnl.Plan forward;
        Dnnl.Plan backwardData;
        Dnnl.Plan backwardWeights;
        final List<String> implementations = new ArrayList<>();
    }

    /** One operation: its bands, and the primitives of each band shape. */
    private static final class Convolution {
        final List<Band> bands;
        final Map<Shape, Plans> plans = new LinkedHashMap<>();

        Convolution(List<Band> bands) {
            this.bands = bands;
        }
    }

    @Override
    public boolean handles(INDArray x, INDArray w, int k, Padding padding) {
        return k % 2 == 1 && takes(x, w, k);
    }

    @Override
    public boolean handlesUpConvolution(INDArray x, INDArray w, int k) {
        return takes(x, w, k);
    }

    /** Contiguous float32 NCHW input and a k x k kernel. */
    private static boolean takes(INDArray x, INDArray w, int k) {
        return x.dataType() == DataType.FLOAT && w.dataType() == DataType.FLOAT && x.rank() == 4 && w.rank() == 4
                && w.size(2) == k && w.size(3) == k && Dnnl.plain(x) && Dnnl.plain(w);
    }

    private Key key(INDArray x, INDArray w, boolean bias, int k, Padding padding) {
        return new Key(Kind.CONV, precision, k == 3 ? algorithm : ConvAlgorithm.DIRECT, x.size(0), x.size(1), w.size(0), x.size(2), x.size(3), k, padding == Padding.SAME,
                bias);
    }

    private Key upKey(INDArray x, INDArray w, boolean bias, int k) {
        return new Key(Kind.DECONV, precision, ConvAlgorithm.DIRECT, x.size(0), x.size(1), w.size(1), x.size(2), x.size(3), k, false, bias);
    }

    private static void requireFloat(String what, INDArray a) {
        if (a != null && (!Dnnl.plain(a) || a.dataType() != DataType.FLOAT)) {
            throw new IllegalArgumentException("OneDnnConvolutions: " + what + " must be a contiguous float array, was "
                    + a.dataType() + " ordering " + a.ordering() + " stride " + a.elementWiseStride());
        }
    }

    @Override
    public synchronized void conv2d(INDArray x, INDArray w, INDArray b, INDArray y, int k, Padding padding) {
        forward(key(x, w, b != null, k, padding), x, w, b, y);
    }

    @Override
    public synchronized void upConvolution(INDArray x, INDArray w, INDArray b, INDArray y, int k) {
        forward(upKey(x, w, b != null, k), x, w, b, y);
    }

    private void forward(Key key, INDArray x, INDArray w, INDArray b, INDArray y) {
        requireFloat("the output", y);
        Convolution c = convolution(key);
        calls++;
        for (Band band : c.bands) {
            Plans p = plans(key, c, band);
            long in = inOffset(key, band);
            long out = outOffset(key, band);
            if (b != null) {
                p.forward.run(new long[] {in, 0, 0, out}, x, w, b, y);
            } else {
                p.forward.run(new long[] {in, 0, out}, x, w, y);
            }
            bandCalls++;
        }
    }

    /** @return where a band's input rows start in the input array, in bytes */
    private static long inOffset(Key key, Band band) {
        return band.inFrom() * key.w() * Float.BYTES;
    }

    /** @return where a band's output rows start in the output array, in bytes */
    private static long outOffset(Key key, Band band) {
        return band.outFrom() * key.ow() * Float.BYTES;
    }

    @Override
    public synchronized void conv2dBackward(INDArray x, INDArray w, INDArray gradOut, INDArray dx, INDArray dw,
            INDArray db, int k, Padding padding) {
        backward(key(x, w, db != null, k, padding), x, w, gradOut, dx, dw, db);
    }

    @Override
    public synchronized void upConvolutionBackward(INDArray x, INDArray w, INDArray gradOut, INDArray dx, INDArray dw,
            INDArray db, int k) {
        backward(upKey(x, w, db != null, k), x, w, gradOut, dx, dw, db);
    }

    private void backward(Key key, INDArray x, INDArray w, INDArray gradOut, INDArray dx, INDArray dw, INDArray db) {
        requireFloat("dL/dOutput", gradOut);
        requireFloat("dL/dx", dx);
        requireFloat("dL/dW", dw);
        requireFloat("dL/db", db);
        Convolution c = convolution(key);
        calls++;
        for (Band band : c.bands) {
            Plans p = plans(key, c, band);
            if (p.backwardData == null) {
                backwardPlans(key, band.shape(), p);
            }
            long in = inOffset(key, band);
            long out = outOffset(key, band);
            p.backwardData.run(new long[] {out, 0, in}, gradOut, w, dx);
            if (db != null) {
                p.backwardWeights.run(new long[] {in, out, 0, 0}, x, gradOut, dw, db);
            } else {
                p.backwardWeights.run(new long[] {in, out, 0}, x, gradOut, dw);
            }
            bandCalls++;
        }
    }

    /** @return how many forward and backward convolutions this has run (for tests that it is used) */
    synchronized long calls() {
        return calls;
    }

    /** @return how many band calls those made (more than {@link #calls()} where operations were split into bands) */
    synchronized long bandCalls() {
        return bandCalls;
    }

    private Convolution convolution(Key key) {
        return convolutions.computeIfAbsent(key, k -> new Convolution(bands(k)));
    }

    private Plans plans(Key key, Convolution c, Band band) {
        return c.plans.computeIfAbsent(band.shape(), shape -> forwardPlan(key, shape));
    }

    /**
     * The bands of an operation, of about {@link #bandBytes} of input plus output each
     * ({@link RowBands#of}): what the primitives read and write in oneDNN's layout, and Winograd's
     * transformed tiles, are a band's, not a whole map's (hundreds of MB at the paper's first level).
     * A convolution's bands are of output rows, the up-convolution's of input rows (each makes k
     * output rows and bands do not overlap).
     */
    private List<Band> bands(Key key) {
        long bytesPerPixel = Float.BYTES * key.n(); // per pixel of one channel, over the batch
        long weightBytes = Float.BYTES * key.cin() * key.cout() * key.k() * key.k();
        List<Band> bands = new ArrayList<>();
        if (key.kind() == Kind.DECONV) {
            long k = key.k();
            for (RowBands.Band b : RowBands.of(key.h(), bytesPerPixel * (key.cin() * key.w() + k * key.cout() * key.ow()),
                    weightBytes, bandBytes)) {
                bands.add(new Band(k * b.from(), k * b.to(), b.from(), b.to(), 0, 0, 0));
            }
            return bands;
        }
        long p = key.pad();
        long reach = key.k() - 1 - p; // input rows a band reads below its last output row
        long previousEnd = 0;
        for (RowBands.Band b : RowBands.of(key.oh(), bytesPerPixel * (key.cin() * key.w() + key.cout() * key.ow()),
                weightBytes, bandBytes)) {
            long inFrom = Math.max(0, b.from() - p);
            long inTo = Math.min(key.h(), b.to() + reach);
            bands.add(new Band(b.from(), b.to(), inFrom, inTo, inFrom - (b.from() - p), b.to() + reach - inTo,
                    Math.max(0, previousEnd - inFrom)));
            previousEnd = inTo;
        }
        return bands;
    }

    /*
     * The arrays as ND4J holds them (a band of rows of a float32 NCHW array, or the whole kernel
     * in its layout tag) and as the primitives take them (tag any; in bf16 the arrays a primitive
     * reads are bfloat16, the one it writes float32).
     */
    private static dnnl_memory_desc_t srcRows(Key key, Shape s) {
        return Dnnl.rowsOf(new long[] {key.n(), key.cin(), s.inRows(), key.w()},
                new long[] {key.n(), key.cin(), key.h(), key.w()});
    }

    private static dnnl_memory_desc_t dstRows(Key key, Shape s) {
        return Dnnl.rowsOf(new long[] {key.n(), key.cout(), s.outRows(), key.ow()},
                new long[] {key.n(), key.cout(), key.oh(), key.ow()});
    }

    private static dnnl_memory_desc_t src(Key key, Shape s, int tag) {
        return Dnnl.md(tag, dnnl_f32, key.n(), key.cin(), s.inRows(), key.w());
    }

    private static dnnl_memory_desc_t weights(Key key, int tag) {
        return Dnnl.md(tag, dnnl_f32, key.cout(), key.cin(), key.k(), key.k());
    }

    private static dnnl_memory_desc_t dst(Key key, Shape s, int tag) {
        return Dnnl.md(tag, dnnl_f32, key.n(), key.cout(), s.outRows(), key.ow());
    }

    /** @return the data type of what a primitive reads: float32, or bfloat16 in mixed precision */
    private static int read(Key key) {
        return key.precision() == Precision.BF16 ? dnnl_bf16 : dnnl_f32;
    }

    private static dnnl_memory_desc_t srcRead(Key key, Shape s) {
        return Dnnl.md(dnnl_format_tag_any, read(key), key.n(), key.cin(), s.inRows(), key.w());
    }

    private static dnnl_memory_desc_t weightsRead(Key key) {
        return Dnnl.md(dnnl_format_tag_any, read(key), key.cout(), key.cin(), key.k(), key.k());
    }

    private static dnnl_memory_desc_t dstRead(Key key, Shape s) {
        return Dnnl.md(dnnl_format_tag_any, read(key), key.n(), key.cout(), s.outRows(), key.ow());
    }

    /** The three operations of a convolution: their descriptors for one algorithm. */
    private enum Op { FORWARD, BACKWARD_DATA, BACKWARD_WEIGHTS }

    /**
     * @return the operation's descriptor in the given algorithm, or null where oneDNN has none
     *         for it (Winograd's shapes and data types are limited)
     */
    private static const_dnnl_op_desc_t opDesc(Key key, Shape shape, Op op, int alg) {
        dnnl_memory_desc_t bias = key.bias() ? Dnnl.md(dnnl_x, dnnl_f32, key.cout()) : null;
        dnnl_convolution_desc_t d = new dnnl_convolution_desc_t();
        boolean conv = key.kind() == Kind.CONV;
        long[] s = key.strides();
        long[] p = {shape.padTop(), key.pad()};
        long[] q = {shape.padBottom(), key.pad()};
        int status = switch (op) {
            // The training kind: for inference oneDNN 2.5 picked a kernel 30% slower on these shapes.
            case FORWARD -> conv
                    ? dnnl_convolution_forward_desc_init(d, dnnl_forward_training, alg, srcRead(key, shape), weightsRead(key),
                            bias, dst(key, shape, dnnl_format_tag_any), s, p, q)
                    : dnnl_deconvolution_forward_desc_init(d, dnnl_forward_training, alg, srcRead(key, shape),
                            weightsRead(key), bias, dst(key, shape, dnnl_format_tag_any), s, p, q);
            case BACKWARD_DATA -> conv
                    ? dnnl_convolution_backward_data_desc_init(d, alg, src(key, shape, dnnl_format_tag_any), weightsRead(key),
                            dstRead(key, shape), s, p, q)
                    : dnnl_deconvolution_backward_data_desc_init(d, alg, src(key, shape, dnnl_format_tag_any),
                            weightsRead(key), dstRead(key, shape), s, p, q);
            case BACKWARD_WEIGHTS -> conv
                    ? dnnl_convolution_backward_weights_desc_init(d, alg, srcRead(key, shape),
                            weights(key, dnnl_format_tag_any), bias, dstRead(key, shape), s, p, q)
                    : dnnl_deconvolution_backward_weights_desc_init(d, alg, srcRead(key, shape),
                            weights(key, dnnl_format_tag_any), bias, dstRead(key, shape), s, p, q);
        };
        if (status == dnnl_unimplemented && alg != directKind(key)) {
            return null;
        }
        Dnnl.check(status, op + " " + key + " " + shape);
        return new const_dnnl_op_desc_t(d);
    }

    private static int directKind(Key key) {
        return key.kind() == Kind.CONV ? dnnl_convolution_direct : dnnl_deconvolution_direct;
    }

    /*
     * The default most scratchpad a Winograd primitive may take, 4 bands: its transformed tiles
     *         are a band's, but its transformed kernels (4x the kernel, per thread in dL/dW) are
     *         the whole kernel's, hundreds of MB for the paper's bottom levels (453 MB for dL/dW
     *         of the 1024-channel convolution), which run direct instead.
     */
    private static long defaultWinogradScratchBytes(long bandBytes) {
        return bandBytes > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : 4 * bandBytes;
    }

    /**
     * The primitive descriptor of one operation: in Winograd where the key asks for it and oneDNN
     * has it for the shape within {@link #winogradScratchBytes}, else direct.
     *
     * @param hint the forward's descriptor for a backward operation, or null
     */
    private dnnl_primitive_desc primitiveDesc(Key key, Shape shape, Op op, dnnl_primitive_desc hint) {
        String what = op + " " + key + " " + shape;
        // oneDNN 2.5's Winograd dL/dx is wrong where a band's top and bottom padding differ from
        // its left and right (a SAME convolution's bands; bandsOfRowsEqualOneCall finds it): direct there.
        boolean evenPadding = shape.padTop() == key.pad() && shape.padBottom() == key.pad();
        if (key.algorithm() == ConvAlgorithm.WINOGRAD && (op != Op.BACKWARD_DATA || evenPadding)) {
            const_dnnl_op_desc_t wino = opDesc(key, shape, op, dnnl_convolution_winograd);
            dnnl_primitive_desc pd = wino == null ? null : dnnl.tryPrimitiveDesc(wino, hint, what);
            if (pd != null && Dnnl.scratchpadBytes(pd) <= winogradScratchBytes) {
                return pd;
            }
        }
        return dnnl.primitiveDesc(opDesc(key, shape, op, directKind(key)), hint, what);
    }

    private Plans forwardPlan(Key key, Shape shape) {
        Plans c = new Plans();
        c.forwardDesc = primitiveDesc(key, shape, Op.FORWARD, null);
        c.implementations.add(Dnnl.implementation(c.forwardDesc));
        Dnnl.PlanBuilder p = dnnl.plan(c.forwardDesc)
                .in(DNNL_ARG_SRC, srcRows(key, shape), dnnl_query_src_md)
                .in(DNNL_ARG_WEIGHTS, weights(key, key.weightsTag()), dnnl_query_weights_md);
        if (key.bias()) {
            p.in(DNNL_ARG_BIAS, Dnnl.md(dnnl_x, dnnl_f32, key.cout()), dnnl_query_weights_md, 1);
        }
        c.forward = p.out(DNNL_ARG_DST, dstRows(key, shape), dnnl_query_dst_md).build();
        return c;
    }

    /**
     * A band's backward primitives: its input gradient's rows shared with the band before are
     * added into, and its parameter gradients too unless it is the first band.
     */
    private void backwardPlans(Key key, Shape shape, Plans c) {
        dnnl_primitive_desc dataDesc = primitiveDesc(key, shape, Op.BACKWARD_DATA, c.forwardDesc);
        c.implementations.add(Dnnl.implementation(dataDesc));
        c.backwardData = dnnl.plan(dataDesc)
                .in(DNNL_ARG_DIFF_DST, dstRows(key, shape), dnnl_query_diff_dst_md)
                .in(DNNL_ARG_WEIGHTS, weights(key, key.weightsTag()), dnnl_query_weights_md)
                .outAddingTop(DNNL_ARG_DIFF_SRC, srcRows(key, shape), dnnl_query_diff_src_md, shape.shared()).build();
        dnnl_primitive_desc weightsDesc = primitiveDesc(key, shape, Op.BACKWARD_WEIGHTS, c.forwardDesc);
        c.implementations.add(Dnnl.implementation(weightsDesc));
        Dnnl.PlanBuilder p = dnnl.plan(weightsDesc)
                .in(DNNL_ARG_SRC, srcRows(key, shape), dnnl_query_src_md)
                .in(DNNL_ARG_DIFF_DST, dstRows(key, shape), dnnl_query_diff_dst_md);
        if (shape.first()) {
            p.out(DNNL_ARG_DIFF_WEIGHTS, weights(key, key.weightsTag()), dnnl_query_diff_weights_md);
        } else {
            p.add(DNNL_ARG_DIFF_WEIGHTS, weights(key, key.weightsTag()), dnnl_query_diff_weights_md, 0);
        }
        if (key.bias() && shape.first()) {
            p.out(DNNL_ARG_DIFF_BIAS, Dnnl.md(dnnl_x, dnnl_f32, key.cout()), dnnl_query_diff_weights_md, 1);
        } else if (key.bias()) {
            p.add(DNNL_ARG_DIFF_BIAS, Dnnl.md(dnnl_x, dnnl_f32, key.cout()), dnnl_query_diff_weights_md, 1);
        }
        c.backwardWeights = p.build();
    }

    /**
     * @return the oneDNN implementations of the convolutions run so far (forward, then dL/dx and
     *         dL/dW once a backward ran), e.g. {@code "jit_wino_4x3:avx512_core"}, in the order
     *         their shapes first ran: for tests that the asked-for algorithm is used
     */
    synchronized List<String> implementations() {
        List<String> all = new ArrayList<>();
        convolutions.values().forEach(c -> c.plans.values().forEach(p -> all.addAll(p.implementations)));
        return all;
    }

    @Override
    public String unsupported(Precision p, ConvAlgorithm a) {
        if (p == Precision.BF16 && !hasBf16()) {
            return "this CPU has no bfloat16 dot products (avx512_bf16; oneDNN's ISA here: " + isa() + ")";
        }
        if (a == ConvAlgorithm.WINOGRAD && p != Precision.FP32) {
            return "oneDNN's Winograd convolutions compute in float32 only, not " + p.label();
        }
        if (a == ConvAlgorithm.WINOGRAD && (dnnl_get_effective_cpu_isa() & dnnl_cpu_isa_avx512_core)
                != dnnl_cpu_isa_avx512_core) {
            return "oneDNN has Winograd convolutions on AVX-512 CPUs only (its ISA here: " + isa() + ")";
        }
        return null;
    }

    @Override
    public synchronized void setPrecision(Precision p) {
        String why = unsupported(p, algorithm);
        if (why != null) {
            throw new IllegalArgumentException("OneDnnConvolutions: precision " + p.label() + ": " + why);
        }
        precision = p;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public synchronized void setAlgorithm(ConvAlgorithm a) {
        String why = unsupported(precision, a);
        if (why != null) {
            throw new IllegalArgumentException("OneDnnConvolutions: algorithm " + a.label() + ": " + why);
        }
        algorithm = a;
    }

    @Override
    public ConvAlgorithm algorithm() {
        return algorithm;
    }

    /** oneDNN's ISA bits are cumulative: avx512_core_amx includes avx512_core_bf16's. */
    private static boolean hasBf16() {
        return (dnnl_get_effective_cpu_isa() & dnnl_cpu_isa_avx512_core_bf16) == dnnl_cpu_isa_avx512_core_bf16;
    }

    private static String isa() {
        int isa = dnnl_get_effective_cpu_isa();
        return isa == dnnl_cpu_isa_avx512_core_amx ? "avx512_core_amx" : isa == dnnl_cpu_isa_avx512_core_bf16
                ? "avx512_core_bf16" : isa == dnnl_cpu_isa_avx512_core ? "avx512_core" : isa == dnnl_cpu_isa_avx2
                ? "avx2" : "isa " + isa;
    }

    @Override
    public String describe() {
        dnnl_version_t v = dnnl_version();
        return "convolutions by oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + " (" + isa() + ")";
    }
}
