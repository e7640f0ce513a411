package io.github.unet4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.ops.ConvAccelerator;
import io.github.unet4j.core.ops.ConvAlgorithm;
import io.github.unet4j.core.ops.Precision;
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
 * <p>Float32 arrays only (double runs, the gradient checks, stay on ND4J), stride-1 convolutions
 * (VALID or SAME with an odd kernel) and up-convolutions (kernel = stride), contiguous arrays.
 * In {@link Precision#BF16} the reorders into oneDNN's layout also round what a primitive reads
 * to bfloat16; it sums and writes in float32, so the arrays ND4J sees stay float32. One call at a
 * time ({@link Dnnl} shares its scratch arrays).
 */
public final class OneDnnConvolutions implements ConvAccelerator {

    private final Dnnl dnnl = new Dnnl();
    private final Map<Key, Convolution> convolutions = new LinkedHashMap<>();
    private long calls;
    private volatile Precision precision = Precision.FP32;
    private volatile ConvAlgorithm algorithm = ConvAlgorithm.DIRECT;

    /** Creates oneDNN's CPU engine and stream. */
    public OneDnnConvolutions() {
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

        long[] pads() {
            return new long[] {pad(), pad()};
        }

        /** ND4J's kernel layout: {@code [outC, inC, k, k]} for a convolution, {@code [inC, outC, k, k]} for the up-convolution. */
        int weightsTag() {
            return kind == Kind.DECONV ? dnnl_iohw : dnnl_oihw;
        }
    }

    /** One shape's three primitives; the backward ones are made at the first backward. */
    private static final class Convolution {
        dnnl_primitive_desc forwardDesc;
        Dnnl.Plan forward;
        Dnnl.Plan backwardData;
        Dnnl.Plan backwardWeights;
        final List<String> implementations = new ArrayList<>();
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
        if (b != null) {
            c.forward.run(x, w, b, y);
        } else {
            c.forward.run(x, w, y);
        }
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
        if (c.backwardData == null) {
            backwardPlans(key, c);
        }
        calls++;
        c.backwardData.run(gradOut, w, dx);
        if (db != null) {
            c.backwardWeights.run(x, gradOut, dw, db);
        } else {
            c.backwardWeights.run(x, gradOut, dw);
        }
    }

    /** @return how many forward and backward convolutions this has run (for tests that it is used) */
    synchronized long calls() {
        return calls;
    }

    private Convolution convolution(Key key) {
        return convolutions.computeIfAbsent(key, this::forwardPlan);
    }

    /*
     * The arrays as ND4J holds them (a layout tag, float32) and as the primitives take them (tag
     * any; in bf16 the arrays a primitive reads are bfloat16, the one it writes float32).
     */
    private static dnnl_memory_desc_t src(Key key, int tag) {
        return Dnnl.md(tag, dnnl_f32, key.n(), key.cin(), key.h(), key.w());
    }

    private static dnnl_memory_desc_t weights(Key key, int tag) {
        return Dnnl.md(tag, dnnl_f32, key.cout(), key.cin(), key.k(), key.k());
    }

    private static dnnl_memory_desc_t dst(Key key, int tag) {
        return Dnnl.md(tag, dnnl_f32, key.n(), key.cout(), key.oh(), key.ow());
    }

    /** @return the data type of what a primitive reads: float32, or bfloat16 in mixed precision */
    private static int read(Key key) {
        return key.precision() == Precision.BF16 ? dnnl_bf16 : dnnl_f32;
    }

    private static dnnl_memory_desc_t srcRead(Key key) {
        return Dnnl.md(dnnl_format_tag_any, read(key), key.n(), key.cin(), key.h(), key.w());
    }

    private static dnnl_memory_desc_t weightsRead(Key key) {
        return Dnnl.md(dnnl_format_tag_any, read(key), key.cout(), key.cin(), key.k(), key.k());
    }

    private static dnnl_memory_desc_t dstRead(Key key) {
        return Dnnl.md(dnnl_format_tag_any, read(key), key.n(), key.cout(), key.oh(), key.ow());
    }

    /** The three operations of a convolution: their descriptors for one algorithm. */
    private enum Op { FORWARD, BACKWARD_DATA, BACKWARD_WEIGHTS }

    /**
     * @return the operation's descriptor in the given algorithm, or null where oneDNN has none
     *         for it (Winograd's shapes and data types are limited)
     */
    private static const_dnnl_op_desc_t opDesc(Key key, Op op, int alg) {
        dnnl_memory_desc_t bias = key.bias() ? Dnnl.md(dnnl_x, dnnl_f32, key.cout()) : null;
        dnnl_convolution_desc_t d = new dnnl_convolution_desc_t();
        boolean conv = key.kind() == Kind.CONV;
        long[] s = key.strides();
        long[] p = key.pads();
        int status = switch (op) {
            // The training kind: for inference oneDNN 2.5 picked a kernel 30% slower on these shapes.
            case FORWARD -> conv
                    ? dnnl_convolution_forward_desc_init(d, dnnl_forward_training, alg, srcRead(key), weightsRead(key),
                            bias, dst(key, dnnl_format_tag_any), s, p, p)
                    : dnnl_deconvolution_forward_desc_init(d, dnnl_forward_training, alg, srcRead(key),
                            weightsRead(key), bias, dst(key, dnnl_format_tag_any), s, p, p);
            case BACKWARD_DATA -> conv
                    ? dnnl_convolution_backward_data_desc_init(d, alg, src(key, dnnl_format_tag_any), weightsRead(key),
                            dstRead(key), s, p, p)
                    : dnnl_deconvolution_backward_data_desc_init(d, alg, src(key, dnnl_format_tag_any),
                            weightsRead(key), dstRead(key), s, p, p);
            case BACKWARD_WEIGHTS -> conv
                    ? dnnl_convolution_backward_weights_desc_init(d, alg, srcRead(key),
                            weights(key, dnnl_format_tag_any), bias, dstRead(key), s, p, p)
                    : dnnl_deconvolution_backward_weights_desc_init(d, alg, srcRead(key),
                            weights(key, dnnl_format_tag_any), bias, dstRead(key), s, p, p);
        };
        if (status == dnnl_unimplemented && alg != directKind(key)) {
            return null;
        }
        Dnnl.check(status, op + " " + key);
        return new const_dnnl_op_desc_t(d);
    }

    private static int directKind(Key key) {
        return key.kind() == Kind.CONV ? dnnl_convolution_direct : dnnl_deconvolution_direct;
    }

    /**
     * The primitive descriptor of one operation: in Winograd where the key asks for it and oneDNN
     * has it for the shape, else direct.
     *
     * @param hint the forward's descriptor for a backward operation, or null
     */
    private dnnl_primitive_desc primitiveDesc(Key key, Op op, dnnl_primitive_desc hint) {
        String what = op + " " + key;
        if (key.algorithm() == ConvAlgorithm.WINOGRAD) {
            const_dnnl_op_desc_t wino = opDesc(key, op, dnnl_convolution_winograd);
            dnnl_primitive_desc pd = wino == null ? null : dnnl.tryPrimitiveDesc(wino, hint, what);
            if (pd != null) {
                return pd;
            }
        }
        return dnnl.primitiveDesc(opDesc(key, op, directKind(key)), hint, what);
    }

    private Convolution forwardPlan(Key key) {
        Convolution c = new Convolution();
        c.forwardDesc = primitiveDesc(key, Op.FORWARD, null);
        c.implementations.add(Dnnl.implementation(c.forwardDesc));
        Dnnl.PlanBuilder p = dnnl.plan(c.forwardDesc)
                .in(DNNL_ARG_SRC, src(key, dnnl_nchw), dnnl_query_src_md)
                .in(DNNL_ARG_WEIGHTS, weights(key, key.weightsTag()), dnnl_query_weights_md);
        if (key.bias()) {
            p.in(DNNL_ARG_BIAS, Dnnl.md(dnnl_x, dnnl_f32, key.cout()), dnnl_query_weights_md, 1);
        }
        c.forward = p.out(DNNL_ARG_DST, dst(key, dnnl_nchw), dnnl_query_dst_md).build();
        return c;
    }

    private void backwardPlans(Key key, Convolution c) {
        dnnl_primitive_desc dataDesc = primitiveDesc(key, Op.BACKWARD_DATA, c.forwardDesc);
        c.implementations.add(Dnnl.implementation(dataDesc));
        c.backwardData = dnnl.plan(dataDesc)
                .in(DNNL_ARG_DIFF_DST, dst(key, dnnl_nchw), dnnl_query_diff_dst_md)
                .in(DNNL_ARG_WEIGHTS, weights(key, key.weightsTag()), dnnl_query_weights_md)
                .out(DNNL_ARG_DIFF_SRC, src(key, dnnl_nchw), dnnl_query_diff_src_md).build();
        dnnl_primitive_desc weightsDesc = primitiveDesc(key, Op.BACKWARD_WEIGHTS, c.forwardDesc);
        c.implementations.add(Dnnl.implementation(weightsDesc));
        Dnnl.PlanBuilder p = dnnl.plan(weightsDesc)
                .in(DNNL_ARG_SRC, src(key, dnnl_nchw), dnnl_query_src_md)
                .in(DNNL_ARG_DIFF_DST, dst(key, dnnl_nchw), dnnl_query_diff_dst_md)
                .out(DNNL_ARG_DIFF_WEIGHTS, weights(key, key.weightsTag()), dnnl_query_diff_weights_md);
        if (key.bias()) {
            p.out(DNNL_ARG_DIFF_BIAS, Dnnl.md(dnnl_x, dnnl_f32, key.cout()), dnnl_query_diff_weights_md, 1);
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
        convolutions.values().forEach(c -> all.addAll(c.implementations));
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
