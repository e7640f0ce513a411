package io.github.unet4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.ops.ConvAccelerator;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_version_t;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The op layer's convolutions (forward, backward to the input, backward to the weights and bias)
 * through oneDNN 2.5 called directly: ND4J's NCHW float arrays are handed to oneDNN in place,
 * reordered into the blocked layout oneDNN picks for the shape and back (as ND4J's own helper
 * does), and the primitives are created once per shape and kept. Measured against ND4J's
 * {@code conv2d} and {@code conv2d_bp} in docs/performance.md ("oneDNN called directly").
 *
 * <p>Float32 only (double runs, the gradient checks, stay on ND4J), stride 1, VALID or SAME with
 * an odd kernel, contiguous arrays. One call at a time ({@link Dnnl} shares its scratch arrays).
 */
public final class OneDnnConvolutions implements ConvAccelerator {

    private final Dnnl dnnl = new Dnnl();
    private final Map<Key, Convolution> convolutions = new HashMap<>();
    private long calls;

    /** Creates oneDNN's CPU engine and stream. */
    public OneDnnConvolutions() {
    }

    private record Key(long n, long cin, long cout, long h, long w, int k, boolean same, boolean bias) {
        long pad() {
            return same ? (k - 1) / 2 : 0;
        }

        long oh() {
            return h - k + 1 + 2 * pad();
        }

        long ow() {
            return w - k + 1 + 2 * pad();
        }
    }

    /** One shape's three primitives; the backward ones are made at the first backward. */
    private static final class Convolution {
        dnnl_primitive_desc forwardDesc;
        Dnnl.Plan forward;
        Dnnl.Plan backwardData;
        Dnnl.Plan backwardWeights;
    }

    @Override
    public boolean handles(INDArray x, INDArray w, int k, Padding padding) {
        return x.dataType() == DataType.FLOAT && w.dataType() == DataType.FLOAT && x.rank() == 4 && w.rank() == 4
                && k % 2 == 1 && w.size(2) == k && w.size(3) == k && Dnnl.plain(x) && Dnnl.plain(w);
    }

    private static Key key(INDArray x, INDArray w, boolean bias, int k, Padding padding) {
        return new Key(x.size(0), x.size(1), w.size(0), x.size(2), x.size(3), k, padding == Padding.SAME, bias);
    }

    private static void requireFloat(String what, INDArray a) {
        if (a != null && (!Dnnl.plain(a) || a.dataType() != DataType.FLOAT)) {
            throw new IllegalArgumentException("OneDnnConvolutions: " + what + " must be a contiguous float array, was "
                    + a.dataType() + " ordering " + a.ordering() + " stride " + a.elementWiseStride());
        }
    }

    @Override
    public synchronized void conv2d(INDArray x, INDArray w, INDArray b, INDArray y, int k, Padding padding) {
        requireFloat("the output", y);
        Convolution c = convolution(key(x, w, b != null, k, padding));
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
        requireFloat("dL/dOutput", gradOut);
        requireFloat("dL/dx", dx);
        requireFloat("dL/dW", dw);
        requireFloat("dL/db", db);
        Key key = key(x, w, db != null, k, padding);
        Convolution c = convolution(key);
        if (c.backwardData == null) {
            backward(key, c);
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
        return convolutions.computeIfAbsent(key, this::forward);
    }

    private dnnl_memory_desc_t src(Key key, int tag) {
        return Dnnl.md(tag, key.n(), key.cin(), key.h(), key.w());
    }

    private dnnl_memory_desc_t weights(Key key, int tag) {
        return Dnnl.md(tag, key.cout(), key.cin(), key.k(), key.k());
    }

    private dnnl_memory_desc_t dst(Key key, int tag) {
        return Dnnl.md(tag, key.n(), key.cout(), key.oh(), key.ow());
    }

    private Convolution forward(Key key) {
        long[] one = {1, 1};
        long[] pads = {key.pad(), key.pad()};
        dnnl_memory_desc_t bias = key.bias() ? Dnnl.md(dnnl_x, key.cout()) : null;
        dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
        // The training kind: for inference oneDNN 2.5 picked a kernel 30% slower on these shapes.
        Dnnl.check(dnnl_convolution_forward_desc_init(desc, dnnl_forward_training, dnnl_convolution_direct,
                src(key, dnnl_format_tag_any), weights(key, dnnl_format_tag_any), bias, dst(key, dnnl_format_tag_any),
                one, pads, pads), "convolution_forward " + key);
        Convolution c = new Convolution();
        c.forwardDesc = dnnl.primitiveDesc(new const_dnnl_op_desc_t(desc), null, "convolution forward " + key);
        Dnnl.PlanBuilder p = dnnl.plan(c.forwardDesc)
                .in(DNNL_ARG_SRC, src(key, dnnl_nchw), dnnl_query_src_md)
                .in(DNNL_ARG_WEIGHTS, weights(key, dnnl_oihw), dnnl_query_weights_md);
        if (key.bias()) {
            p.in(DNNL_ARG_BIAS, bias, dnnl_query_weights_md, 1);
        }
        c.forward = p.out(DNNL_ARG_DST, dst(key, dnnl_nchw), dnnl_query_dst_md).build();
        return c;
    }

    private void backward(Key key, Convolution c) {
        long[] one = {1, 1};
        long[] pads = {key.pad(), key.pad()};
        dnnl_convolution_desc_t data = new dnnl_convolution_desc_t();
        Dnnl.check(dnnl_convolution_backward_data_desc_init(data, dnnl_convolution_direct,
                src(key, dnnl_format_tag_any), weights(key, dnnl_format_tag_any), dst(key, dnnl_format_tag_any),
                one, pads, pads), "convolution_backward_data " + key);
        dnnl_primitive_desc dataDesc = dnnl.primitiveDesc(new const_dnnl_op_desc_t(data), c.forwardDesc,
                "convolution backward data " + key);
        c.backwardData = dnnl.plan(dataDesc)
                .in(DNNL_ARG_DIFF_DST, dst(key, dnnl_nchw), dnnl_query_diff_dst_md)
                .in(DNNL_ARG_WEIGHTS, weights(key, dnnl_oihw), dnnl_query_weights_md)
                .out(DNNL_ARG_DIFF_SRC, src(key, dnnl_nchw), dnnl_query_diff_src_md).build();
        dnnl_memory_desc_t bias = key.bias() ? Dnnl.md(dnnl_x, key.cout()) : null;
        dnnl_convolution_desc_t weights = new dnnl_convolution_desc_t();
        Dnnl.check(dnnl_convolution_backward_weights_desc_init(weights, dnnl_convolution_direct,
                src(key, dnnl_format_tag_any), weights(key, dnnl_format_tag_any), bias, dst(key, dnnl_format_tag_any),
                one, pads, pads), "convolution_backward_weights " + key);
        dnnl_primitive_desc weightsDesc = dnnl.primitiveDesc(new const_dnnl_op_desc_t(weights), c.forwardDesc,
                "convolution backward weights " + key);
        Dnnl.PlanBuilder p = dnnl.plan(weightsDesc)
                .in(DNNL_ARG_SRC, src(key, dnnl_nchw), dnnl_query_src_md)
                .in(DNNL_ARG_DIFF_DST, dst(key, dnnl_nchw), dnnl_query_diff_dst_md)
                .out(DNNL_ARG_DIFF_WEIGHTS, weights(key, dnnl_oihw), dnnl_query_diff_weights_md);
        if (key.bias()) {
            p.out(DNNL_ARG_DIFF_BIAS, bias, dnnl_query_diff_weights_md, 1);
        }
        c.backwardWeights = p.build();
    }

    @Override
    public String describe() {
        dnnl_version_t v = dnnl_version();
        int isa = dnnl_get_effective_cpu_isa();
        String name = isa == dnnl_cpu_isa_avx512_core_bf16 ? "avx512_core_bf16" : isa == dnnl_cpu_isa_avx512_core
                ? "avx512_core" : isa == dnnl_cpu_isa_avx2 ? "avx2" : "isa " + isa;
        return "convolutions by oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + " (" + name + ")";
    }
}
