package spike;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Issue 16, step 1: the paper network's eighteen 3x3 convolutions (572 tile, batch 1) called
 * through oneDNN directly, forward (with and without a fused bias + ReLU post-op), backward data
 * and backward weights, in several layouts and precisions, next to ND4J M2.1's conv2d in the
 * same JVM. Prints one row per mode: seconds per pass over the 18 convolutions and GFLOP/s.
 *
 * <p>Modes: {@code nd4j} (ND4J's conv2d / conv2d_bp: NCHW in and out, oneDNN 2.3 inside with a
 * reorder per call); {@code f32-nchw+reorder} (oneDNN picks its layout, the spike reorders the
 * NCHW input in and the output out on every call, as ND4J does); {@code f32-nhwc} (channels-last
 * throughout, no reorders); {@code f32-blocked} (oneDNN's own layout, nChw16c, kept between
 * layers: no reorders); {@code bf16-nhwc} and {@code bf16-blocked} (bfloat16 activations and
 * weights, f32 accumulation inside oneDNN; bf16 diff weights).
 *
 * <p>A spike: measuring code, not library code. It prints (the library never does).
 */
public final class OneDnnSpike {

    /** One 3x3 valid convolution of the paper network: channels in and out, input size. */
    record Conv(String name, int cin, int cout, int size) {
        int out() {
            return size - 2;
        }

        /** Multiply-adds x 2 of the forward pass (and of each backward pass). */
        double flops() {
            return 2.0 * cout * out() * out() * cin * 9;
        }
    }

    /** The paper's 18 3x3 convolutions at a 572 input tile. */
    static List<Conv> paper() {
        List<Conv> c = new ArrayList<>();
        int[] ch = {64, 128, 256, 512, 1024};
        int size = 572;
        int in = 1;
        for (int l = 0; l < 5; l++) {
            c.add(new Conv("down" + l + ".conv1", in, ch[l], size));
            c.add(new Conv("down" + l + ".conv2", ch[l], ch[l], size - 2));
            in = ch[l];
            size = size - 4;
            if (l < 4) {
                size /= 2;
            }
        }
        for (int l = 3; l >= 0; l--) {
            size *= 2;
            c.add(new Conv("up" + l + ".conv1", 2 * ch[l], ch[l], size));
            c.add(new Conv("up" + l + ".conv2", ch[l], ch[l], size - 2));
            size -= 4;
        }
        return c;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException(what + " failed: dnnl status " + status);
        }
    }

    static final dnnl_engine ENGINE = new dnnl_engine();
    static final dnnl_stream STREAM = new dnnl_stream();

    static dnnl_memory_desc_t md(int dataType, int tag, long... dims) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dataType, tag), "memory_desc_init_by_tag");
        return md;
    }

    /** A memory of a descriptor, on 64-byte aligned native memory, kept alive by the list. */
    static final List<Pointer> KEEP = new ArrayList<>();

    static dnnl_memory memory(dnnl_memory_desc_t md) {
        long size = dnnl_memory_desc_get_size(md);
        BytePointer raw = new BytePointer(size + 64);
        KEEP.add(raw);
        long off = (64 - raw.address() % 64) % 64;
        BytePointer aligned = new BytePointer(raw).position(off);
        KEEP.add(aligned);
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, ENGINE, aligned), "memory_create");
        return m;
    }

    static void fill(dnnl_memory m, dnnl_memory_desc_t md, float scale, long seed) {
        // Values as f32 through a reorder-free path: only for f32 memories; bf16 ones are filled by reorder.
        BytePointer h = new BytePointer();
        check(dnnl_memory_get_data_handle(m, h), "get_data_handle");
        long n = dnnl_memory_desc_get_size(md) / 4;
        FloatPointer f = new FloatPointer(h).capacity(n);
        java.util.Random r = new java.util.Random(seed);
        for (long i = 0; i < n; i++) {
            f.put(i, (float) (r.nextGaussian() * scale));
        }
    }

    static dnnl_primitive primitive(dnnl_primitive_desc pd) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive_create");
        return p;
    }

    static void exec(dnnl_primitive p, Object... argAndMemory) {
        int k = argAndMemory.length / 2;
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(k);
        for (int i = 0; i < k; i++) {
            args.position(i).arg((Integer) argAndMemory[2 * i]).memory((dnnl_memory) argAndMemory[2 * i + 1]);
        }
        args.position(0);
        check(dnnl_primitive_execute(p, STREAM, k, args), "primitive_execute");
        check(dnnl_stream_wait(STREAM), "stream_wait");
        args.close();
    }

    static dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, ENGINE, to, ENGINE, null), "reorder pd");
        return primitive(pd);
    }

    /** The primitives of one convolution in one layout and precision, and their memories. */
    static final class Site {
        final Conv conv;
        dnnl_primitive fwd;
        dnnl_primitive fwdRelu;
        dnnl_primitive relu;
        dnnl_primitive bwdData;
        dnnl_primitive bwdWeights;
        dnnl_memory src;
        dnnl_memory wei;
        dnnl_memory bias;
        dnnl_memory dst;
        dnnl_memory diffDst;
        dnnl_memory diffSrc;
        dnnl_memory diffWei;
        dnnl_memory diffBias;
        // NCHW copies and the reorders to and from them, for the "+reorder" mode.
        dnnl_primitive srcIn;
        dnnl_primitive dstOut;
        dnnl_primitive diffDstIn;
        dnnl_primitive diffSrcOut;
        dnnl_memory srcPlain;
        dnnl_memory dstPlain;
        dnnl_memory diffDstPlain;
        dnnl_memory diffSrcPlain;
        // Where a backward primitive wants another layout than the forward's: the reorders.
        dnnl_memory weiB;
        dnnl_primitive weiToB;
        dnnl_memory srcW;
        dnnl_primitive srcToW;
        dnnl_memory diffDstW;
        dnnl_primitive diffDstToW;
        int reorders() {
            return (weiToB != null ? 1 : 0) + (srcToW != null ? 1 : 0) + (diffDstToW != null ? 1 : 0);
        }

        Site(Conv conv) {
            this.conv = conv;
        }
    }

    /**
     * @param type    dnnl_f32 or dnnl_bf16
     * @param act     the activation layout: a tag, or dnnl_format_tag_any for oneDNN's choice
     * @param reorder whether each call reorders NCHW f32 in and out (ND4J's way)
     */
    static Site build(Conv c, int type, int act, boolean reorder) {
        Site s = new Site(c);
        long[] strides = {1, 1};
        long[] pad = {0, 0};
        dnnl_memory_desc_t srcMd = md(type, act, 1, c.cin, c.size, c.size);
        dnnl_memory_desc_t dstMd = md(type, act, 1, c.cout, c.out(), c.out());
        dnnl_memory_desc_t weiMd = md(type, dnnl_format_tag_any, c.cout, c.cin, 3, 3);
        dnnl_memory_desc_t biasMd = md(dnnl_f32, dnnl_x, c.cout);
        dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
        check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct, srcMd, weiMd,
                biasMd, dstMd, strides, pad, pad), "conv fwd desc " + c);
        dnnl_primitive_desc fpd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(fpd, new const_dnnl_op_desc_t(fd), null, ENGINE, null), "conv fwd pd");
        s.fwd = primitive(fpd);

        dnnl_post_ops po = new dnnl_post_ops();
        check(dnnl_post_ops_create(po), "post_ops_create");
        check(dnnl_post_ops_append_eltwise(po, 1f, dnnl_eltwise_relu, 0f, 0f), "append relu");
        dnnl_primitive_attr attr = new dnnl_primitive_attr();
        check(dnnl_primitive_attr_create(attr), "attr_create");
        check(dnnl_primitive_attr_set_post_ops(attr, po), "set_post_ops");
        dnnl_primitive_desc fpdRelu = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(fpdRelu, new const_dnnl_op_desc_t(fd), attr, ENGINE, null), "fwd+relu pd");
        s.fwdRelu = primitive(fpdRelu);

        dnnl_memory_desc_t srcReal = dnnl_primitive_desc_query_md(fpd, dnnl_query_src_md, 0);
        dnnl_memory_desc_t dstReal = dnnl_primitive_desc_query_md(fpd, dnnl_query_dst_md, 0);
        dnnl_memory_desc_t weiReal = dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 0);
        s.src = memory(srcReal);
        s.dst = memory(dstReal);
        s.wei = memory(weiReal);
        s.bias = memory(biasMd);
        s.diffDst = memory(dstReal);
        s.diffSrc = memory(srcReal);
        fill(s.bias, biasMd, 0.1f, 3);
        if (type == dnnl_f32) {
            fill(s.src, srcReal, 1f, 1);
            fill(s.wei, weiReal, (float) Math.sqrt(2.0 / (9 * c.cin)), 2);
            fill(s.diffDst, dstReal, 1f, 4);
        } else {
            fillByReorder(s.src, srcReal, 1, c.cin, c.size, 1f, 1);
            fillByReorder(s.wei, weiReal, c.cout, c.cin, 3, (float) Math.sqrt(2.0 / (9 * c.cin)), 2);
            fillByReorder(s.diffDst, dstReal, 1, c.cout, c.out(), 1f, 4);
        }

        dnnl_eltwise_desc_t ed = new dnnl_eltwise_desc_t();
        check(dnnl_eltwise_forward_desc_init(ed, dnnl_forward_training, dnnl_eltwise_relu, dstReal, 0f, 0f), "relu");
        dnnl_primitive_desc epd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(epd, new const_dnnl_op_desc_t(ed), null, ENGINE, null), "relu pd");
        s.relu = primitive(epd);

        dnnl_convolution_desc_t bd = new dnnl_convolution_desc_t();
        check(dnnl_convolution_backward_data_desc_init(bd, dnnl_convolution_direct, srcMd, weiMd, dstMd, strides, pad,
                pad), "conv bwd data desc");
        dnnl_primitive_desc bpd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(bpd, new const_dnnl_op_desc_t(bd), null, ENGINE, fpd), "bwd data pd");
        s.bwdData = primitive(bpd);
        if (c.cin > 1) { // the first layer's backward data is not run
            requireSame(dnnl_primitive_desc_query_md(bpd, dnnl_query_diff_src_md, 0), srcReal, "bwd data diff_src " + c);
            requireSame(dnnl_primitive_desc_query_md(bpd, dnnl_query_diff_dst_md, 0), dstReal, "bwd data diff_dst " + c);
            // Backward data may want the weights in another blocking (transposed); a reorder of the
            // weights, once per step, small next to the activations. Counted in bwd-data.
            dnnl_memory_desc_t weiB = dnnl_primitive_desc_query_md(bpd, dnnl_query_weights_md, 0);
            if (dnnl_memory_desc_equal(weiB, weiReal) == 0) {
                s.weiB = memory(weiB);
                s.weiToB = reorder(weiReal, weiB);
            }
        }

        dnnl_memory_desc_t dweiMd = md(type == dnnl_bf16 ? dnnl_bf16 : dnnl_f32, dnnl_format_tag_any, c.cout, c.cin,
                3, 3);
        dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
        check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, srcMd, dweiMd, biasMd, dstMd,
                strides, pad, pad), "conv bwd weights desc");
        dnnl_primitive_desc wpd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(wpd, new const_dnnl_op_desc_t(wd), null, ENGINE, fpd), "bwd weights pd");
        s.bwdWeights = primitive(wpd);
        dnnl_memory_desc_t srcW = dnnl_primitive_desc_query_md(wpd, dnnl_query_src_md, 0);
        dnnl_memory_desc_t diffDstW = dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_dst_md, 0);
        if (dnnl_memory_desc_equal(srcW, srcReal) == 0) { // counted in bwd-wei
            s.srcW = memory(srcW);
            s.srcToW = reorder(srcReal, srcW);
        }
        if (dnnl_memory_desc_equal(diffDstW, dstReal) == 0) {
            s.diffDstW = memory(diffDstW);
            s.diffDstToW = reorder(dstReal, diffDstW);
        }
        s.diffWei = memory(dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_weights_md, 0));
        s.diffBias = memory(biasMd);

        if (reorder) {
            dnnl_memory_desc_t srcPlain = md(dnnl_f32, dnnl_nchw, 1, c.cin, c.size, c.size);
            dnnl_memory_desc_t dstPlain = md(dnnl_f32, dnnl_nchw, 1, c.cout, c.out(), c.out());
            s.srcPlain = memory(srcPlain);
            s.dstPlain = memory(dstPlain);
            s.diffDstPlain = memory(dstPlain);
            s.diffSrcPlain = memory(srcPlain);
            fill(s.srcPlain, srcPlain, 1f, 1);
            fill(s.diffDstPlain, dstPlain, 1f, 4);
            s.srcIn = reorder(srcPlain, srcReal);
            s.dstOut = reorder(dstReal, dstPlain);
            s.diffDstIn = reorder(dstPlain, dstReal);
            s.diffSrcOut = reorder(srcReal, srcPlain);
        }
        return s;
    }

    static void requireSame(dnnl_memory_desc_t a, dnnl_memory_desc_t b, String what) {
        if (dnnl_memory_desc_equal(a, b) == 0) {
            throw new IllegalStateException(what + ": oneDNN wants another layout than the forward's (a reorder)");
        }
    }

    /** Fills a memory of any layout and type from random NCHW/OIHW f32 values through a reorder. */
    static void fillByReorder(dnnl_memory m, dnnl_memory_desc_t md, int n, int c, int hw, float scale, long seed) {
        dnnl_memory_desc_t plain = md(dnnl_f32, dnnl_nchw, n, c, hw, hw);
        dnnl_memory p = memory(plain);
        fill(p, plain, scale, seed);
        exec(reorder(plain, md), DNNL_ARG_FROM, p, DNNL_ARG_TO, m);
    }

    /** Seconds of each pass over all sites: [fwd, fwd+relu fused, fwd then relu, bwd data, bwd weights]. */
    static double[] time(List<Site> sites, boolean reorder, int reps) {
        double[] best = new double[5];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int r = 0; r < reps + 1; r++) { // the first round warms up
            double[] t = new double[5];
            for (Site s : sites) {
                long t0 = System.nanoTime();
                if (reorder) {
                    exec(s.srcIn, DNNL_ARG_FROM, s.srcPlain, DNNL_ARG_TO, s.src);
                }
                exec(s.fwd, DNNL_ARG_SRC, s.src, DNNL_ARG_WEIGHTS, s.wei, DNNL_ARG_BIAS, s.bias, DNNL_ARG_DST, s.dst);
                if (reorder) {
                    exec(s.dstOut, DNNL_ARG_FROM, s.dst, DNNL_ARG_TO, s.dstPlain);
                }
                long t1 = System.nanoTime();
                exec(s.fwdRelu, DNNL_ARG_SRC, s.src, DNNL_ARG_WEIGHTS, s.wei, DNNL_ARG_BIAS, s.bias, DNNL_ARG_DST,
                        s.dst);
                long t2 = System.nanoTime();
                exec(s.fwd, DNNL_ARG_SRC, s.src, DNNL_ARG_WEIGHTS, s.wei, DNNL_ARG_BIAS, s.bias, DNNL_ARG_DST, s.dst);
                exec(s.relu, DNNL_ARG_SRC, s.dst, DNNL_ARG_DST, s.dst);
                long t3 = System.nanoTime();
                if (reorder) {
                    exec(s.diffDstIn, DNNL_ARG_FROM, s.diffDstPlain, DNNL_ARG_TO, s.diffDst);
                }
                long t4 = System.nanoTime();
                if (s.conv.cin > 1) { // the first layer's input needs no gradient
                    if (s.weiToB != null) {
                        exec(s.weiToB, DNNL_ARG_FROM, s.wei, DNNL_ARG_TO, s.weiB);
                    }
                    exec(s.bwdData, DNNL_ARG_DIFF_DST, s.diffDst, DNNL_ARG_WEIGHTS, s.weiToB != null ? s.weiB : s.wei,
                            DNNL_ARG_DIFF_SRC, s.diffSrc);
                    if (reorder) {
                        exec(s.diffSrcOut, DNNL_ARG_FROM, s.diffSrc, DNNL_ARG_TO, s.diffSrcPlain);
                    }
                }
                long t5 = System.nanoTime();
                if (s.srcToW != null) {
                    exec(s.srcToW, DNNL_ARG_FROM, s.src, DNNL_ARG_TO, s.srcW);
                }
                if (s.diffDstToW != null) {
                    exec(s.diffDstToW, DNNL_ARG_FROM, s.diffDst, DNNL_ARG_TO, s.diffDstW);
                }
                exec(s.bwdWeights, DNNL_ARG_SRC, s.srcToW != null ? s.srcW : s.src, DNNL_ARG_DIFF_DST,
                        s.diffDstToW != null ? s.diffDstW : s.diffDst, DNNL_ARG_DIFF_WEIGHTS, s.diffWei,
                        DNNL_ARG_DIFF_BIAS, s.diffBias);
                long t6 = System.nanoTime();
                t[0] += (t1 - t0) / 1e9;
                t[1] += (t2 - t1) / 1e9;
                t[2] += (t3 - t2) / 1e9;
                // The diff_dst reorder counts once, with backward data.
                t[3] += (t5 - t3) / 1e9;
                t[4] += (t6 - t5) / 1e9;
            }
            if (r > 0) {
                for (int i = 0; i < 5; i++) {
                    best[i] = Math.min(best[i], t[i]);
                }
            }
        }
        return best;
    }

    /** One convolution's forward and backward seconds. */
    interface ConvTimer {
        double[] time(Conv c);
    }

    /** Best over rounds (after one warm-up round) of each pass's sum over the convolutions: [fwd, -, -, bwd, -]. */
    static double[] bestOf(List<Conv> convs, int reps, ConvTimer timer) {
        double fwd = Double.MAX_VALUE;
        double bwd = Double.MAX_VALUE;
        for (int r = 0; r < reps + 1; r++) {
            double f = 0;
            double b = 0;
            for (Conv c : convs) {
                double[] t = timer.time(c);
                f += t[0];
                b += t[1];
            }
            if (r > 0) {
                fwd = Math.min(fwd, f);
                bwd = Math.min(bwd, b);
            }
        }
        return new double[] {fwd, Double.NaN, Double.NaN, bwd, Double.NaN};
    }

    /** ND4J's conv2d and conv2d_bp over the same shapes, NCHW, whole arrays (backward: data + weights). */
    static double[] timeNd4j(List<Conv> convs, int reps) {
        return bestOf(convs, reps, c -> {
            INDArray x = Nd4j.randn(DataType.FLOAT, 1, c.cin, c.size, c.size);
            INDArray w = Nd4j.randn(DataType.FLOAT, c.cout, c.cin, 3, 3).muli(Math.sqrt(2.0 / (9 * c.cin)));
            INDArray bias = Nd4j.zeros(DataType.FLOAT, c.cout);
            INDArray gy = Nd4j.randn(DataType.FLOAT, 1, c.cout, c.out(), c.out());
            INDArray y = Nd4j.create(DataType.FLOAT, 1, c.cout, c.out(), c.out());
            INDArray gx = Nd4j.create(DataType.FLOAT, x.shape());
            INDArray gw = Nd4j.create(DataType.FLOAT, w.shape());
            INDArray gb = Nd4j.create(DataType.FLOAT, c.cout);
            long t0 = System.nanoTime();
            nd4j("conv2d", new INDArray[] {x, w, bias}, y);
            long t1 = System.nanoTime();
            nd4j("conv2d_bp", new INDArray[] {x, w, bias, gy}, gx, gw, gb);
            long t2 = System.nanoTime();
            for (INDArray a : new INDArray[] {x, w, bias, gy, y, gx, gw, gb}) {
                a.close();
            }
            return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
        });
    }

    /** As {@link #timeNd4j}, through the project's op layer: ND4J's conv2d / conv2d_bp over row bands. */
    static double[] timeProject(List<Conv> convs, int reps) {
        return bestOf(convs, reps, c -> {
            io.github.unet4j.core.Parameter w = new io.github.unet4j.core.Parameter("w",
                    io.github.unet4j.core.Parameter.Kind.WEIGHT, 9L * c.cin, DataType.FLOAT, c.cout, c.cin, 3, 3);
            io.github.unet4j.core.Parameter bias = new io.github.unet4j.core.Parameter("b",
                    io.github.unet4j.core.Parameter.Kind.BIAS, 0, DataType.FLOAT, c.cout);
            w.value().assign(Nd4j.randn(DataType.FLOAT, c.cout, c.cin, 3, 3).muli(Math.sqrt(2.0 / (9 * c.cin))));
            INDArray x = Nd4j.randn(DataType.FLOAT, 1, c.cin, c.size, c.size);
            INDArray gy = Nd4j.randn(DataType.FLOAT, 1, c.cout, c.out(), c.out());
            long t0 = System.nanoTime();
            INDArray y = io.github.unet4j.core.ops.NativeOps.conv2d(x, w.value(), bias.value(), 3,
                    io.github.unet4j.core.Padding.VALID);
            long t1 = System.nanoTime();
            INDArray gx = io.github.unet4j.core.ops.NativeOps.conv2dBackward(x, gy, w, bias, 3,
                    io.github.unet4j.core.Padding.VALID);
            long t2 = System.nanoTime();
            for (INDArray a : new INDArray[] {x, gy, y, gx, w.value(), w.grad(), bias.value(), bias.grad()}) {
                a.close();
            }
            return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
        });
    }

    /** The largest difference between oneDNN's and ND4J's forward of one convolution, in f32 NCHW. */
    static double agreement() {
        Conv c = new Conv("check", 16, 24, 34);
        dnnl_memory_desc_t srcMd = md(dnnl_f32, dnnl_nchw, 1, c.cin, c.size, c.size);
        dnnl_memory_desc_t weiMd = md(dnnl_f32, dnnl_oihw, c.cout, c.cin, 3, 3);
        dnnl_memory_desc_t biasMd = md(dnnl_f32, dnnl_x, c.cout);
        dnnl_memory_desc_t dstMd = md(dnnl_f32, dnnl_nchw, 1, c.cout, c.out(), c.out());
        dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
        long[] one = {1, 1};
        long[] zero = {0, 0};
        check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_inference, dnnl_convolution_direct, srcMd, weiMd,
                biasMd, dstMd, one, zero, zero), "check desc");
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(fd), null, ENGINE, null), "check pd");
        dnnl_memory src = memory(srcMd);
        dnnl_memory wei = memory(weiMd);
        dnnl_memory bias = memory(biasMd);
        dnnl_memory dst = memory(dstMd);
        fill(src, srcMd, 1f, 11);
        fill(wei, weiMd, 0.1f, 12);
        fill(bias, biasMd, 0.1f, 13);
        exec(primitive(pd), DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wei, DNNL_ARG_BIAS, bias, DNNL_ARG_DST, dst);
        INDArray x = Nd4j.create(floats(src, srcMd), 1, c.cin, c.size, c.size);
        INDArray w = Nd4j.create(floats(wei, weiMd), c.cout, c.cin, 3, 3);
        INDArray b = Nd4j.create(floats(bias, biasMd), c.cout);
        INDArray y = Nd4j.create(DataType.FLOAT, 1, c.cout, c.out(), c.out());
        nd4j("conv2d", new INDArray[] {x, w, b}, y);
        INDArray mine = Nd4j.create(floats(dst, dstMd), 1, c.cout, c.out(), c.out());
        return mine.sub(y).amaxNumber().doubleValue();
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW (0), weights OIHW (1): as the project's NativeOps. */
    static void nd4j(String op, INDArray[] in, INDArray... out) {
        Nd4j.exec(org.nd4j.linalg.api.ops.DynamicCustomOp.builder(op).addInputs(in).addOutputs(out)
                .addIntegerArguments(3, 3, 1, 1, 0, 0, 1, 1, 0, 0, 1).build());
    }

    static float[] floats(dnnl_memory m, dnnl_memory_desc_t md) {
        BytePointer h = new BytePointer();
        check(dnnl_memory_get_data_handle(m, h), "get_data_handle");
        int n = (int) (dnnl_memory_desc_get_size(md) / 4);
        float[] out = new float[n];
        new FloatPointer(h).capacity(n).get(out);
        return out;
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        // The NativeOps row is ND4J's path: unet4j-onednn (on this class path for "module") stays out of it.
        System.setProperty("unet4j.accelerator", "none");
        boolean nd4jOnly = args.length > 1 && args[1].equals("nd4j-only"); // oneDNN's library not loaded
        // ND4J first, as the project loads it (its runtime settings: bands, pooling, malloc); then
        // oneDNN's own library into the same JVM.
        System.out.println("unet4j runtime: " + io.github.unet4j.core.runtime.UNetRuntime.setUp());
        System.out.println("ND4J: " + Nd4j.getExecutioner().getClass().getSimpleName() + ", "
                + Nd4j.getEnvironment().maxMasterThreads() + " threads");
        List<Conv> convs = paper();
        double flops = convs.stream().mapToDouble(Conv::flops).sum();
        double dataFlops = convs.stream().filter(c -> c.cin > 1).mapToDouble(Conv::flops).sum();
        if (args.length > 1 && args[1].equals("module")) { // the unet4j-onednn module's forward
            io.github.unet4j.onednn.OneDnnConvolutions m = new io.github.unet4j.onednn.OneDnnConvolutions();
            for (int r = 0; r < reps + 1; r++) {
                double f = 0;
                double wr = 0;
                for (Conv c : convs) {
                    INDArray x = Nd4j.randn(DataType.FLOAT, 1, c.cin, c.size, c.size);
                    INDArray w = Nd4j.randn(DataType.FLOAT, c.cout, c.cin, 3, 3);
                    INDArray b = Nd4j.zeros(DataType.FLOAT, c.cout);
                    INDArray y = Nd4j.create(DataType.FLOAT, 1, c.cout, c.out(), c.out());
                    long t0 = System.nanoTime();
                    m.conv2d(x, w, b, y, 3, io.github.unet4j.core.Padding.VALID);
                    f += (System.nanoTime() - t0) / 1e9;
                    x.close();
                    w.close();
                    b.close();
                    y.close();
                }
                System.out.printf(Locale.ROOT, "module forward, round %d: %.3f s%n", r, f);
            }
            return;
        }
        if (nd4jOnly) {
            print("nd4j (conv2d)", timeNd4j(convs, reps), flops, dataFlops);
            print("unet4j NativeOps", timeProject(convs, reps), flops, dataFlops);
            return;
        }
        check(dnnl_engine_create(ENGINE, dnnl_cpu, 0), "engine_create");
        check(dnnl_stream_create(STREAM, ENGINE, dnnl_stream_default_flags), "stream_create");
        dnnl_version_t v = dnnl_version();
        System.out.printf("oneDNN %d.%d.%d (org.bytedeco:dnnl), CPU ISA: %s%n", v.major(), v.minor(), v.patch(),
                isa(dnnl_get_effective_cpu_isa()));
        System.out.printf("agreement with ND4J's conv2d (f32 NCHW): max |diff| %.3g%n", agreement());
        System.out.printf("paper network, 572 tile: %d 3x3 convolutions, %.1f GFLOP per pass%n", convs.size(),
                flops / 1e9);
        System.out.printf(Locale.ROOT, "%-18s %9s %9s %9s %9s %9s %9s | GFLOP/s: %6s %6s %6s%n", "mode", "fwd",
                "fwd+relu", "fwd,relu", "bwd-data", "bwd-wei", "step", "fwd", "bwd-d", "bwd-w");
        print("nd4j (conv2d)", timeNd4j(convs, reps), flops, dataFlops);
        print("unet4j NativeOps", timeProject(convs, reps), flops, dataFlops);
        int[][] modes = {{dnnl_f32, dnnl_format_tag_any, 1}, {dnnl_f32, dnnl_nhwc, 0}, {dnnl_f32, dnnl_format_tag_any,
            0}, {dnnl_bf16, dnnl_nhwc, 0}, {dnnl_bf16, dnnl_format_tag_any, 0}};
        String[] names = {"f32-nchw+reorder", "f32-nhwc", "f32-blocked", "bf16-nhwc", "bf16-blocked"};
        for (int m = 0; m < modes.length; m++) {
            List<Site> sites = new ArrayList<>();
            for (Conv c : convs) {
                sites.add(build(c, modes[m][0], modes[m][1], modes[m][2] == 1));
            }
            print(names[m], time(sites, modes[m][2] == 1, reps), flops, dataFlops);
            int reorders = sites.stream().mapToInt(Site::reorders).sum();
            System.out.printf("%-18s   (%d reorders inside the backward passes, of weights or activations, %s)%n", "",
                    reorders, sites.stream().filter(x -> x.reorders() > 0).map(x -> x.conv.name() + "("
                    + (x.weiToB != null ? "w" : "") + (x.srcToW != null ? "x" : "") + (x.diffDstToW != null ? "dy" : "")
                    + ")").reduce((a, b) -> a + " " + b).orElse("none"));
            for (Pointer p : KEEP) {
                p.close();
            }
            KEEP.clear();
        }
    }

    static String isa(int isa) {
        return isa == dnnl_cpu_isa_avx512_core_bf16 ? "avx512_core_bf16" : isa == dnnl_cpu_isa_avx512_core
                ? "avx512_core" : isa == dnnl_cpu_isa_avx2 ? "avx2" : Integer.toString(isa);
    }

    static void print(String mode, double[] t, double flops, double dataFlops) {
        boolean nd4j = Double.isNaN(t[1]);
        // ND4J's backward is one op (data and weights); the step is fwd + relu + both backward passes.
        double step = nd4j ? t[0] + t[3] : t[1] + t[3] + t[4];
        System.out.printf(Locale.ROOT, "%-18s %9.3f %9s %9s %9.3f %9s %9.3f | GFLOP/s: %6.0f %6s %6s%n", mode, t[0],
                nd4j ? "-" : String.format(Locale.ROOT, "%.3f", t[1]), nd4j ? "-" : String.format(Locale.ROOT,
                "%.3f", t[2]), t[3], nd4j ? "(in bwd)" : String.format(Locale.ROOT, "%.3f", t[4]), step,
                flops / t[0] / 1e9, nd4j ? String.format(Locale.ROOT, "%.0f", (flops + dataFlops) / t[3] / 1e9)
                        : String.format(Locale.ROOT, "%.0f", dataFlops / t[3] / 1e9),
                nd4j ? "" : String.format(Locale.ROOT, "%.0f", flops / t[4] / 1e9));
    }
}
