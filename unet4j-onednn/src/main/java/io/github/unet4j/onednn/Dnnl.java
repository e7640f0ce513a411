package io.github.unet4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * oneDNN's engine and stream, and {@link Plan}s: a primitive with, for each of its arrays, the
 * reorder between the NCHW layout of ND4J's array and the layout the primitive chose. Scratch
 * arrays for the reordered copies are shared by all plans (one plan runs at a time).
 */
final class Dnnl {
    private final dnnl_engine engine = new dnnl_engine();
    private final dnnl_stream stream = new dnnl_stream();
    /**
     * The reordered copies of the running plan's arrays, one after another: grown to the largest
     * plan's total, shared by all plans (one scratch per array index held the largest copy of
     * every index at once, 3 maps of the paper's first level instead of 2).
     */
    private final Scratch scratch = new Scratch();

    Dnnl() {
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine_create");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream_create");
    }

    /** A growing 64-byte aligned native array. */
    private static final class Scratch {
        BytePointer raw;
        long capacity;

        /** @return the address 64-byte aligned with at least {@code bytes} after it */
        long ensure(long bytes) {
            if (bytes > capacity) {
                if (raw != null) {
                    raw.close();
                }
                raw = new BytePointer(bytes + 64);
                capacity = bytes;
            }
            return raw.address() + (64 - raw.address() % 64) % 64;
        }
    }

    /**
     * A pointer to an address, for oneDNN's handles: one per port, re-aimed on each run instead of
     * a new pointer object per array and call (plans run under OneDnnConvolutions' lock, one call at a
     * time, as their scratch needs).
     */
    private static final class At extends Pointer {
        At at(long where) {
            this.address = where;
            return this;
        }
    }

    /** One array of a primitive: ND4J's array, and where the layouts differ, oneDNN's copy and the reorder. */
    private static final class Port {
        final boolean in;
        final dnnl_memory user;
        final dnnl_memory inner;
        final dnnl_primitive reorder;
        final dnnl_exec_arg_t reorderArgs;
        final long innerBytes;
        final At userAt = new At();
        final At innerAt = new At();

        Port(boolean in, dnnl_memory user, dnnl_memory inner, dnnl_primitive reorder, dnnl_exec_arg_t reorderArgs,
                long innerBytes) {
            this.in = in;
            this.user = user;
            this.inner = inner;
            this.reorder = reorder;
            this.reorderArgs = reorderArgs;
            this.innerBytes = innerBytes;
        }

        dnnl_memory used() {
            return inner == null ? user : inner;
        }
    }

    /** A primitive and its arrays in order: run with ND4J arrays in that order. */
    final class Plan {
        private final dnnl_primitive primitive;
        private final Port[] ports;
        private final dnnl_exec_arg_t args;
        /** Where each port's copy starts in the scratch, and the scratch bytes the plan needs. */
        private final long[] offsets;
        private final long scratchBytes;

        private Plan(dnnl_primitive primitive, List<Port> ports, List<Integer> argIds) {
            this.primitive = primitive;
            this.ports = ports.toArray(Port[]::new);
            this.args = new dnnl_exec_arg_t(ports.size());
            for (int i = 0; i < ports.size(); i++) {
                args.position(i).arg(argIds.get(i)).memory(this.ports[i].used());
            }
            args.position(0);
            offsets = new long[ports.size()];
            long at = 0;
            for (int i = 0; i < ports.size(); i++) {
                offsets[i] = at;
                at += (this.ports[i].innerBytes + 63) / 64 * 64;
            }
            scratchBytes = at;
        }

        /**
         * Runs the primitive: inputs reordered into oneDNN's copies, outputs reordered back.
         *
         * @param arrays contiguous arrays, one per port in the order they were added
         */
        void run(INDArray... arrays) {
            if (arrays.length != ports.length) {
                throw new IllegalArgumentException("oneDNN plan: " + arrays.length + " arrays for " + ports.length
                        + " ports");
            }
            long base = scratch.ensure(scratchBytes);
            for (int i = 0; i < ports.length; i++) {
                Port p = ports[i];
                setHandle(p.user, p.userAt, arrays[i]);
                if (p.inner != null) {
                    check(dnnl_memory_set_data_handle(p.inner, p.innerAt.at(base + offsets[i])), "set_data_handle");
                    if (p.in) {
                        execute(p.reorder, 2, p.reorderArgs);
                    }
                }
            }
            execute(primitive, ports.length, args);
            for (Port p : ports) {
                if (!p.in && p.inner != null) {
                    execute(p.reorder, 2, p.reorderArgs);
                }
            }
        }
    }

    /** Builds a {@link Plan} from a primitive descriptor and its ports. */
    final class PlanBuilder {
        private final dnnl_primitive_desc pd;
        private final List<Port> ports = new ArrayList<>();
        private final List<Integer> argIds = new ArrayList<>();

        private PlanBuilder(dnnl_primitive_desc pd) {
            this.pd = pd;
        }

        /** An input: ND4J's array has layout {@code user}; the primitive's is queried with {@code query}. */
        PlanBuilder in(int arg, dnnl_memory_desc_t user, int query) {
            return in(arg, user, query, 0);
        }

        PlanBuilder in(int arg, dnnl_memory_desc_t user, int query, int index) {
            return port(true, arg, user, query, index);
        }

        /** An output, written whole. */
        PlanBuilder out(int arg, dnnl_memory_desc_t user, int query) {
            return out(arg, user, query, 0);
        }

        PlanBuilder out(int arg, dnnl_memory_desc_t user, int query, int index) {
            return port(false, arg, user, query, index);
        }

        private PlanBuilder port(boolean in, int arg, dnnl_memory_desc_t user, int query, int index) {
            dnnl_memory_desc_t inner = dnnl_primitive_desc_query_md(pd, query, index);
            dnnl_memory u = memory(user);
            if (dnnl_memory_desc_equal(inner, user) != 0) {
                ports.add(new Port(in, u, null, null, null, 0));
            } else {
                dnnl_memory m = memory(inner);
                dnnl_primitive reorder = in ? reorder(user, inner) : reorder(inner, user);
                dnnl_exec_arg_t ra = new dnnl_exec_arg_t(2);
                ra.position(0).arg(DNNL_ARG_FROM).memory(in ? u : m);
                ra.position(1).arg(DNNL_ARG_TO).memory(in ? m : u);
                ra.position(0);
                ports.add(new Port(in, u, m, reorder, ra, dnnl_memory_desc_get_size(inner)));
            }
            argIds.add(arg);
            return this;
        }

        Plan build() {
            return new Plan(primitive(pd), ports, argIds);
        }
    }

    PlanBuilder plan(dnnl_primitive_desc pd) {
        return new PlanBuilder(pd);
    }

    /**
     * @param op   the operation's descriptor
     * @param hint the forward primitive's descriptor for a backward one, or null
     * @param what names the operation in an error
     */
    dnnl_primitive_desc primitiveDesc(const_dnnl_op_desc_t op, dnnl_primitive_desc hint, String what) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, op, (dnnl_primitive_attr) null, engine, hint), what);
        return pd;
    }

    /**
     * As {@link #primitiveDesc}, but null where oneDNN has no implementation for the operation
     * (its Winograd convolutions are limited in shapes).
     */
    dnnl_primitive_desc tryPrimitiveDesc(const_dnnl_op_desc_t op, dnnl_primitive_desc hint, String what) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        int status = dnnl_primitive_desc_create(pd, op, (dnnl_primitive_attr) null, engine, hint);
        if (status == dnnl_unimplemented) {
            return null;
        }
        check(status, what);
        return pd;
    }

    /** @return the name of the implementation oneDNN chose, e.g. {@code "jit:avx512_common"} */
    static String implementation(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> name = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name), "query impl_info_str");
        return name.get(BytePointer.class, 0).getString();
    }

    private static void setHandle(dnnl_memory m, At at, INDArray a) {
        // ND4J gives a view a buffer of its own that starts at its first element (the offset is in the
        // address already: OneDnnConvolutionsTest reads a view at an offset).
        check(dnnl_memory_set_data_handle(m, at.at(a.data().addressPointer().address())), "set_data_handle");
    }

    static boolean plain(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1 && !a.isEmpty();
    }

    static dnnl_memory_desc_t md(int tag, int dataType, long... dims) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dataType, tag), "memory_desc_init_by_tag");
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

    private void execute(dnnl_primitive p, int n, dnnl_exec_arg_t args) {
        check(dnnl_primitive_execute(p, stream, n, args), "primitive_execute");
        check(dnnl_stream_wait(stream), "stream_wait");
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }
}
