package io.github.unet4j.core;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An array a layer keeps from its training forward for its backward ({@code input = Saved.of(x)}
 * in forward, {@code input.get()} in backward), through which the program running the layer
 * ({@code graph.Tape}) may store it in fewer bits while the rest of the forward runs.
 *
 * <p>Why a handle and not the array: several layers keep the same array (a ReLU its output, the
 * next convolution and the pooling their input), and only the program knows when its last
 * forward reader has run. Within a {@link Store} every {@code Saved.of} of one array returns one
 * handle, so the program can replace the array by a compact copy once and bring it back once,
 * before the first backward that reads it ({@link Activations#KEEP_BF16}). Outside a store (a
 * layer run on its own) a handle simply holds the array.
 *
 * <p>A layer that keeps everything its backward reads this way says so with
 * {@link Layer#cachesAsSaved()}; the program compresses only values whose every backward reader
 * does, so a layer that keeps a plain reference is never handed freed memory.
 */
public final class Saved {
    private static final ThreadLocal<Store> OPEN = new ThreadLocal<>();

    private final long[] shape;
    private final DataType type;
    private INDArray array;
    private INDArray compact;

    private Saved(INDArray array) {
        this.array = Objects.requireNonNull(array, "array");
        this.shape = array.shape();
        this.type = array.dataType();
    }

    /**
     * In a layer's training forward.
     *
     * @param array what backward will read, the caller's (or the program's) array
     * @return its handle: the same handle for the same array within the open store
     */
    public static Saved of(INDArray array) {
        Store s = OPEN.get();
        return s == null ? new Saved(array) : s.handles.computeIfAbsent(array, Saved::new);
    }

    /**
     * In the layer's backward.
     *
     * @return the array as it was saved (its values, shape and data type)
     * @throws IllegalStateException if it is still stored compressed: the program restores
     *                               every value before the first backward that reads it, so
     *                               this means the backward ran outside its program
     */
    public INDArray get() {
        if (array == null) {
            throw new IllegalStateException("saved array " + Shapes.str(shape) + " was stored compressed and not "
                    + "restored before backward: run backward through the Tape whose forward saved it");
        }
        return array;
    }

    /** @return whether it is stored compressed now */
    public boolean compressed() {
        return array == null;
    }

    /**
     * The handles of one training pass, kept by the program that runs it: open while the
     * layers' forwards run (so their {@link Saved#of} calls meet here), and asked afterwards to
     * compress and restore.
     */
    public static final class Store {
        private final Map<INDArray, Saved> handles = new IdentityHashMap<>();
        private Store outer;

        /**
         * Makes this the store {@link Saved#of} uses on this thread until {@link #exit}; a
         * store opened inside (a nested program's) takes over until it exits.
         */
        public void enter() {
            outer = OPEN.get();
            OPEN.set(this);
        }

        /** Gives the thread back the store that was open before {@link #enter}. */
        public void exit() {
            if (outer == null) {
                OPEN.remove();
            } else {
                OPEN.set(outer);
            }
            outer = null;
        }

        /**
         * @param array an array
         * @return the handle a layer took for that very array object, or null if none did
         */
        public Saved find(INDArray array) {
            return handles.get(array);
        }

        /**
         * Replaces the handle's array by a copy in {@code type} (rounded to nearest even); the
         * caller frees the array afterwards, as nothing else may hold it.
         *
         * @param h    a handle of this store, not compressed
         * @param type the compact type, e.g. BFLOAT16
         */
        public void compress(Saved h, DataType type) {
            if (h.array == null) {
                throw new IllegalStateException("saved array " + Shapes.str(h.shape) + " is compressed already");
            }
            h.compact = BufferPool.allocate(type, h.shape).assign(h.array);
            h.array = null;
        }

        /**
         * Gives the handle a full array again, in its own type, and frees the compact copy.
         *
         * @param h a compressed handle of this store
         * @return the new array, the caller's to free once the backwards reading it have run
         */
        public INDArray restore(Saved h) {
            if (h.compact == null) {
                throw new IllegalStateException("saved array " + Shapes.str(h.shape) + " is not compressed");
            }
            INDArray a = BufferPool.allocate(h.type, h.shape).assign(h.compact);
            BufferPool.releaseMemory(h.compact);
            h.compact = null;
            h.array = a;
            return a;
        }

        /**
         * Frees a compressed handle's copy without restoring it (nothing will read it).
         *
         * @param h a handle of this store
         */
        public void discard(Saved h) {
            if (h.compact != null) {
                BufferPool.releaseMemory(h.compact);
                h.compact = null;
            }
        }

        /** Frees every compact copy and forgets every handle (the pass is over or dropped). */
        public void clear() {
            handles.values().forEach(this::discard);
            handles.clear();
        }
    }
}
