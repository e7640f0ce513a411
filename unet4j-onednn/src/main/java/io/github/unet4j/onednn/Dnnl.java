package io.github.unet4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * oneDNN's engine and stream, and {@link Plan}s: a primitive with, for each of its arrays (or a
 * band of an array's rows), the reorders between the NCHW layout of ND4J's array and the layout
 * the primitive chose, writing or adding. One scratch array for the reordered copies and the
 * primitive's scratchpad is shared by all plans (one plan runs at a time).
 */
final class Dnnl {
    private final dnnl_engine engine = new dnnl_engine();
    private final dnnl_stream stream = new dnnl_stream();
    /**
     * The reordered copies of the running plan's arrays, one after another, then its primitive's
     * scratchpad: grown to the largest plan's total, shared by all plans (one scratch per array
     * index held the largest copy of every index at once, 3 maps of the paper's first level
     * instead of 2; oneDNN's own scratchpad grew beside it to its own largest).
     */
    private final Scratch scratch = new Scratch();
    private final dnnl_primitive_attr attr = userScratchpad();

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
     * A pointer to an address, for oneDNN's handles: one per memory object, re-aimed on each run
     * instead of a new pointer object per array and call (plans run under OneDnnConvolutions' lock,
     * one call at a time, as their scratch needs).
     */
    private static final class At extends Pointer {
        At at(long where) {
            this.address = where;
            return this;
        }
    }

    /** A memory object whose data handle is set before each run. */
    private static final class Handle {
        final dnnl_memory memory;
        final At at = new At();

        Handle(dnnl_memory memory) {
            this.memory = memory;
        }

        void aim(long address) {
            check(dnnl_memory_set_data_handle(memory, at.at(address)), "set_data_handle");
        }
    }

    /** A reorder between parts of a port's two arrays (the memory objects may be sub-arrays). */
    private static final class Copy {
        final Handle user;
        final Handle inner;
        final dnnl_primitive reorder;
        final dnnl_exec_arg_t args;

        Copy(Handle user, Handle inner, dnnl_primitive reorder, dnnl_exec_arg_t args) {
            this.user = user;
            this.inner = inner;
            this.reorder = reorder;
            this.args = args;
        }
    }

    /**
     * One array of a primitive: ND4J's array (or a band of its rows, described by strides), read
     * or written in place, or oneDNN's copy with the reorders between them (where the layouts
     * differ or the result is added).
     */
    private static final class Port {
        final boolean in;
        /** What the primitive reads or writes: ND4J's array if there are no copies, else oneDNN's copy. */
        final Handle used;
        final List<Copy> copies;
        final long innerBytes;

        Port(boolean in, Handle used, List<Copy> copies, long innerBytes) {
            this.in = in;
            this.used = used;
            this.copies = copies;
            this.innerBytes = innerBytes;
        }

        void aim(long userAddress, long innerAddress) {
            used.aim(copies.isEmpty() ? userAddress : innerAddress);
            for (Copy c : copies) {
                c.user.aim(userAddress);
                c.inner.aim(innerAddress);
            }
        }
    }

    /** A primitive and its arrays in order: run with ND4J arrays in that order. */
    final class Plan {
        private final dnnl_primitive primitive;
        private final Port[] ports;
        private final dnnl_exec_arg_t args;
        private final int argCount;
        /** The primitive's scratchpad (user mode): in the shared scratch after the ports' copies, or null. */
        private final Handle scratchpad;
        /** Where each port's copy starts in the scratch, where the scratchpad does, and the bytes the plan needs. */
        private final long[] offsets;
        private final long scratchpadOffset;
        private final long scratchBytes;

        private Plan(dnnl_primitive_desc pd, List<Port> ports, List<Integer> argIds) {
            this.primitive = primitive(pd);
            this.ports = ports.toArray(Port[]::new);
            long padBytes = scratchpadBytes(pd);
            this.scratchpad = padBytes > 0 ? new Handle(memory(dnnl_primitive_desc_query_md(pd,
                    dnnl_query_scratchpad_md, 0))) : null;
            this.argCount = ports.size() + (scratchpad == null ? 0 : 1);
            this.args = new dnnl_exec_arg_t(argCount);
            for (int i = 0; i < ports.size(); i++) {
                args.position(i).arg(argIds.get(i)).memory(this.ports[i].used.memory);
            }
            if (scratchpad != null) {
                args.position(ports.size()).arg(DNNL_ARG_SCRATCHPAD).memory(scratchpad.memory);
            }
            args.position(0);
            offsets = new long[ports.size()];
            long at = 0;
            for (int i = 0; i < ports.size(); i++) {
                offsets[i] = at;
                at += aligned(this.ports[i].innerBytes);
            }
            scratchpadOffset = at;
            scratchBytes = at + aligned(padBytes);
        }

        /** @return the bytes of shared scratch this plan uses: its copies and its primitive's scratchpad */
        long scratchBytes() {
            return scratchBytes;
        }

        /**
         * Runs the primitive on whole arrays: see {@link #run(long[], INDArray...)}.
         *
         * @param arrays contiguous arrays, one per port in the order they were added
         */
        void run(INDArray... arrays) {
            run(new long[arrays.length], arrays);
        }

        /**
         * Runs the primitive: inputs reordered into oneDNN's copies, outputs reordered back (or added).
         *
         * @param byteOffsets per port, where its data starts in the array (a band of rows), in bytes
         * @param arrays      contiguous arrays, one per port in the order they were added
         */
        void run(long[] byteOffsets, INDArray... arrays) {
            if (arrays.length != ports.length || byteOffsets.length != ports.length) {
                throw new IllegalArgumentException("oneDNN plan: " + arrays.length + " arrays and "
                        + byteOffsets.length + " offsets for " + ports.length + " ports");
            }
            long base = scratch.ensure(scratchBytes);
            for (int i = 0; i < ports.length; i++) {
                Port p = ports[i];
                // ND4J gives a view a buffer of its own that starts at its first element (the offset
                // is in the address already: OneDnnConvolutionsTest reads a view at an offset).
                p.aim(arrays[i].data().addressPointer().address() + byteOffsets[i], base + offsets[i]);
                if (p.in) {
                    for (Copy c : p.copies) {
                        execute(c.reorder, 2, c.args);
                    }
                }
            }
            if (scratchpad != null) {
                scratchpad.aim(base + scratchpadOffset);
            }
            execute(primitive, argCount, args);
            for (Port p : ports) {
                if (!p.in) {
                    for (Copy c : p.copies) {
                        execute(c.reorder, 2, c.args);
                    }
                }
            }
        }
    }

    private static long aligned(long bytes) {
        return (bytes + 63) / 64 * 64;
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
            return port(true, arg, user, query, index, false, 0);
        }

        /** An output, written whole. */
        PlanBuilder out(int arg, dnnl_memory_desc_t user, int query) {
            return out(arg, user, query, 0);
        }

        PlanBuilder out(int arg, dnnl_memory_desc_t user, int query, int index) {
            return port(false, arg, user, query, index, false, 0);
        }

        /** An output added into ND4J's array (a later band's share of a parameter gradient). */
        PlanBuilder add(int arg, dnnl_memory_desc_t user, int query, int index) {
            return port(false, arg, user, query, index, true, 0);
        }

        /**
         * An output {@code [N, C, H, W]} whose first {@code rows} rows are added into ND4J's array
         * and the rest written: a band's input gradient, whose top rows the band before it wrote.
         */
        PlanBuilder outAddingTop(int arg, dnnl_memory_desc_t user, int query, long rows) {
            return port(false, arg, user, query, 0, false, rows);
        }

        private PlanBuilder port(boolean in, int arg, dnnl_memory_desc_t user, int query, int index, boolean add,
                long addedRows) {
            dnnl_memory_desc_t inner = dnnl_primitive_desc_query_md(pd, query, index);
            if (!add && addedRows == 0 && dnnl_memory_desc_equal(inner, user) != 0) {
                ports.add(new Port(in, new Handle(memory(user)), List.of(), 0));
            } else {
                List<Copy> copies = new ArrayList<>();
                if (addedRows == 0) {
                    copies.add(copy(in, user, inner, add));
                } else {
                    long[] dims = dims(user);
                    long[] top = dims.clone();
                    top[2] = addedRows;
                    long[] rest = dims.clone();
                    rest[2] = dims[2] - addedRows;
                    long[] atTop = new long[dims.length];
                    long[] below = new long[dims.length];
                    below[2] = addedRows;
                    copies.add(copy(false, sub(user, top, atTop), sub(inner, top, atTop), true));
                    if (rest[2] > 0) {
                        copies.add(copy(false, sub(user, rest, below), sub(inner, rest, below), false));
                    }
                }
                ports.add(new Port(in, new Handle(memory(inner)), copies, dnnl_memory_desc_get_size(inner)));
            }
            argIds.add(arg);
            return this;
        }

        Plan build() {
            return new Plan(pd, ports, argIds);
        }
    }

    /** A reorder between (parts of) ND4J's array and oneDNN's copy, adding into the target if {@code add}. */
    private Copy copy(boolean in, dnnl_memory_desc_t user, dnnl_memory_desc_t inner, boolean add) {
        Handle u = new Handle(memory(user));
        Handle m = new Handle(memory(inner));
        dnnl_primitive reorder = in ? reorder(user, inner, false) : reorder(inner, user, add);
        dnnl_exec_arg_t ra = new dnnl_exec_arg_t(2);
        ra.position(0).arg(DNNL_ARG_FROM).memory(in ? u.memory : m.memory);
        ra.position(1).arg(DNNL_ARG_TO).memory(in ? m.memory : u.memory);
        ra.position(0);
        return new Copy(u, m, reorder, ra);
    }

    private static long[] dims(dnnl_memory_desc_t md) {
        long[] dims = new long[md.ndims()];
        md.dims().get(dims);
        return dims;
    }

    private static dnnl_memory_desc_t sub(dnnl_memory_desc_t md, long[] dims, long[] offsets) {
        dnnl_memory_desc_t part = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_submemory(part, md, dims, offsets), "memory_desc_init_submemory");
        return part;
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
        check(dnnl_primitive_desc_create(pd, op, attr, engine, hint), what);
        return pd;
    }

    /**
     * As {@link #primitiveDesc}, but null where oneDNN has no implementation for the operation
     * (its Winograd convolutions are limited in shapes).
     */
    dnnl_primitive_desc tryPrimitiveDesc(const_dnnl_op_desc_t op, dnnl_primitive_desc hint, String what) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        int status = dnnl_primitive_desc_create(pd, op, attr, engine, hint);
        if (status == dnnl_unimplemented) {
            return null;
        }
        check(status, what);
        return pd;
    }

    /** @return the bytes of scratchpad a primitive needs (created with a user scratchpad), 0 if none */
    static long scratchpadBytes(dnnl_primitive_desc pd) {
        dnnl_memory_desc_t md = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        return md == null ? 0 : dnnl_memory_desc_get_size(md);
    }

    /** @return the name of the implementation oneDNN chose, e.g. {@code "jit:avx512_common"} */
    static String implementation(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> name = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name), "query impl_info_str");
        return name.get(BytePointer.class, 0).getString();
    }

    static boolean plain(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1 && !a.isEmpty();
    }

    /**
     * @param dims    {@code [N, C, rows, W]} of a band of rows
     * @param full    the whole array's shape {@code [N, C, H, W]}
     * @return the band of a C-order float array's rows as oneDNN describes it: its strides are the whole array's
     */
    static dnnl_memory_desc_t rowsOf(long[] dims, long[] full) {
        long[] strides = {full[1] * full[2] * full[3], full[2] * full[3], full[3], 1};
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_strides(md, dims.length, dims, dnnl_f32, strides), "memory_desc_init_by_strides");
        return md;
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

    /** A reorder, adding into what {@code to} holds if {@code add} (oneDNN's sum post-op). */
    private dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to, boolean add) {
        dnnl_primitive_attr attr = null;
        if (add) {
            attr = new dnnl_primitive_attr();
            check(dnnl_primitive_attr_create(attr), "primitive_attr_create");
            dnnl_post_ops sum = new dnnl_post_ops();
            check(dnnl_post_ops_create(sum), "post_ops_create");
            check(dnnl_post_ops_append_sum(sum, 1f), "post_ops_append_sum");
            check(dnnl_primitive_attr_set_post_ops(attr, sum), "primitive_attr_set_post_ops");
        }
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, engine, to, engine, attr), "reorder");
        return primitive(pd);
    }

    /**
     * Attributes of the convolution primitives: the scratchpad is the caller's ({@link Plan}
     * places it in the shared scratch after the copies), so the largest plan sets the peak
     * instead of oneDNN's own scratchpad adding to it.
     */
    private static dnnl_primitive_attr userScratchpad() {
        dnnl_primitive_attr attr = new dnnl_primitive_attr();
        check(dnnl_primitive_attr_create(attr), "primitive_attr_create");
        check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "set_scratchpad_mode");
        return attr;
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
