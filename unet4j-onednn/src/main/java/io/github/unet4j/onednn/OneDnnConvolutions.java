package io.github.unet4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.ops.ConvAccelerator;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The op layer's forward convolution through oneDNN 2.5 called directly: ND4J's NCHW float
 * arrays are handed to oneDNN in place, reordered into the blocked layout oneDNN picks for the
 * shape and back (as ND4J's own helper does), and the primitives are created once per shape and
 * kept. Measured against ND4J's {@code conv2d} in docs/performance.md ("oneDNN called directly").
 *
 * <p>Float32 only (double runs, the gradient checks, stay on ND4J), stride 1, VALID or SAME with
 * an odd kernel, contiguous arrays. One call at a time: the scratch arrays for the blocked
 * copies are shared by all shapes.
 */
public final class OneDnnConvolutions implements ConvAccelerator {

    private final dnnl_engine engine = new dnnl_engine();
    private final dnnl_stream stream = new dnnl_stream();
    private final Map<Key, Forward> forwards = new HashMap<>();
    private long calls;
    /** Blocked copies of source, weights and output: grown as needed, shared by all shapes. */
    private final Scratch[] scratch = {new Scratch(), new Scratch(), new Scratch()};

    /** Creates oneDNN's CPU engine and stream. */
    public OneDnnConvolutions() {
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine_create");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream_create");
    }

    private record Key(long n, long cin, long cout, long h, long w, int k, boolean same, boolean bias) {
    }

    /** A convolution's primitives and memories for one shape; handles are set per call. */
    private static final class Forward {
        dnnl_primitive conv;
        dnnl_primitive srcIn;
        dnnl_primitive weiIn;
        dnnl_primitive dstOut;
        dnnl_memory userSrc;
        dnnl_memory userWei;
        dnnl_memory userBias;
        dnnl_memory userDst;
        dnnl_memory src;
        dnnl_memory wei;
        dnnl_memory dst;
        long srcBytes;
        long weiBytes;
        long dstBytes;
    }

    /** A growing 64-byte aligned native array. */
    private static final class Scratch {
        BytePointer raw;
        BytePointer aligned;
        long capacity;

        Pointer ensure(long bytes) {
            if (bytes > capacity) {
                if (raw != null) {
                    raw.close();
                }
                raw = new BytePointer(bytes + 64);
                long off = (64 - raw.address() % 64) % 64;
                aligned = new BytePointer(raw).position(off);
                capacity = bytes;
            }
            return aligned;
        }
    }

    @Override
    public boolean handles(INDArray x, INDArray w, int k, Padding padding) {
        return x.dataType() == DataType.FLOAT && w.dataType() == DataType.FLOAT && x.rank() == 4 && w.rank() == 4
                && k % 2 == 1 && w.size(2) == k && w.size(3) == k && plain(x) && plain(w);
    }

    private static boolean plain(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1 && !a.isEmpty();
    }

    @Override
    public synchronized void conv2d(INDArray x, INDArray w, INDArray b, INDArray y, int k, Padding padding) {
        if (!plain(y) || y.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("OneDnnConvolutions: the output must be a contiguous float array");
        }
        Key key = new Key(x.size(0), x.size(1), w.size(0), x.size(2), x.size(3), k, padding == Padding.SAME,
                b != null);
        Forward f = forwards.computeIfAbsent(key, this::forward);
        calls++;
        setHandle(f.userSrc, x);
        setHandle(f.userWei, w);
        if (b != null) {
            setHandle(f.userBias, b);
        }
        setHandle(f.userDst, y);
        dnnl_memory src = f.srcIn == null ? f.userSrc : f.src;
        dnnl_memory wei = f.weiIn == null ? f.userWei : f.wei;
        dnnl_memory dst = f.dstOut == null ? f.userDst : f.dst;
        if (f.srcIn != null) {
            check(dnnl_memory_set_data_handle(f.src, scratch[0].ensure(f.srcBytes)), "set_data_handle");
            exec(f.srcIn, DNNL_ARG_FROM, f.userSrc, DNNL_ARG_TO, f.src);
        }
        if (f.weiIn != null) {
            check(dnnl_memory_set_data_handle(f.wei, scratch[1].ensure(f.weiBytes)), "set_data_handle");
            exec(f.weiIn, DNNL_ARG_FROM, f.userWei, DNNL_ARG_TO, f.wei);
        }
        if (f.dstOut != null) {
            check(dnnl_memory_set_data_handle(f.dst, scratch[2].ensure(f.dstBytes)), "set_data_handle");
        }
        if (b != null) {
            exec(f.conv, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wei, DNNL_ARG_BIAS, f.userBias, DNNL_ARG_DST, dst);
        } else {
            exec(f.conv, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wei, DNNL_ARG_DST, dst);
        }
        if (f.dstOut != null) {
            exec(f.dstOut, DNNL_ARG_FROM, f.dst, DNNL_ARG_TO, f.userDst);
        }
    }

    /** @return how many convolutions this has run (for tests that it is used) */
    synchronized long calls() {
        return calls;
    }

    private Forward forward(Key key) {
        long pad = key.same() ? (key.k() - 1) / 2 : 0;
        long oh = key.h() - key.k() + 1 + 2 * pad;
        long ow = key.w() - key.k() + 1 + 2 * pad;
        dnnl_memory_desc_t userSrc = md(dnnl_nchw, key.n(), key.cin(), key.h(), key.w());
        dnnl_memory_desc_t userWei = md(dnnl_oihw, key.cout(), key.cin(), key.k(), key.k());
        dnnl_memory_desc_t userDst = md(dnnl_nchw, key.n(), key.cout(), oh, ow);
        dnnl_memory_desc_t bias = md(dnnl_x, key.cout());
        dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
        long[] one = {1, 1};
        long[] pads = {pad, pad};
        check(dnnl_convolution_forward_desc_init(desc, dnnl_forward_training, dnnl_convolution_direct,
                md(dnnl_format_tag_any, key.n(), key.cin(), key.h(), key.w()),
                md(dnnl_format_tag_any, key.cout(), key.cin(), key.k(), key.k()), key.bias() ? bias : null,
                md(dnnl_format_tag_any, key.n(), key.cout(), oh, ow), one, pads, pads), "convolution_forward " + key);
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), null, engine, null),
                "convolution primitive " + key);
        Forward f = new Forward();
        f.conv = primitive(pd);
        f.userSrc = memory(userSrc);
        f.userWei = memory(userWei);
        f.userDst = memory(userDst);
        f.userBias = key.bias() ? memory(bias) : null;
        dnnl_memory_desc_t src = dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0);
        dnnl_memory_desc_t wei = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        dnnl_memory_desc_t dst = dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0);
        if (dnnl_memory_desc_equal(src, userSrc) == 0) {
            f.src = memory(src);
            f.srcBytes = dnnl_memory_desc_get_size(src);
            f.srcIn = reorder(userSrc, src);
        }
        if (dnnl_memory_desc_equal(wei, userWei) == 0) {
            f.wei = memory(wei);
            f.weiBytes = dnnl_memory_desc_get_size(wei);
            f.weiIn = reorder(userWei, wei);
        }
        if (dnnl_memory_desc_equal(dst, userDst) == 0) {
            f.dst = memory(dst);
            f.dstBytes = dnnl_memory_desc_get_size(dst);
            f.dstOut = reorder(dst, userDst);
        }
        return f;
    }

    private static void setHandle(dnnl_memory m, INDArray a) {
        Pointer base = a.data().addressPointer();
        // ND4J gives a view a buffer of its own that starts at its first element (the offset is in the
        // address already: OneDnnConvolutionsTest reads a view at an offset).
        BytePointer at = new BytePointer(base);
        check(dnnl_memory_set_data_handle(m, at), "set_data_handle");
    }

    private static dnnl_memory_desc_t md(int tag, long... dims) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "memory_desc_init_by_tag");
        return md;
    }

    /** A memory object without data yet: the handle is set before each use. */
    private dnnl_memory memory(dnnl_memory_desc_t md) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, engine, (Pointer) null), "memory_create");
        return m;
    }

    private dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, engine, to, engine, null), "reorder");
        return primitive(pd);
    }

    private static dnnl_primitive primitive(dnnl_primitive_desc pd) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive_create");
        return p;
    }

    private void exec(dnnl_primitive p, Object... argAndMemory) {
        int k = argAndMemory.length / 2;
        try (dnnl_exec_arg_t args = new dnnl_exec_arg_t(k)) {
            for (int i = 0; i < k; i++) {
                args.position(i).arg((Integer) argAndMemory[2 * i]).memory((dnnl_memory) argAndMemory[2 * i + 1]);
            }
            args.position(0);
            check(dnnl_primitive_execute(p, stream, k, args), "primitive_execute");
            check(dnnl_stream_wait(stream), "stream_wait");
        }
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
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
