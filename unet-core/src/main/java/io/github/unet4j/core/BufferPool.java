package io.github.unet4j.core;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network's memory: arrays are handed back ({@link #release}) as soon as their last user is
 * done, and their buffers are reused ({@link #allocate}) by the next array of the same type and
 * length, as PyTorch's caching allocator does.
 *
 * <p>Why: an ND4J array outside a workspace holds native memory that is returned only after the
 * garbage collector finalises its Java object, so a training step of the paper's network piled
 * up gigabytes; freeing it promptly instead made every large array fresh memory, whose first
 * touch (page faults) cost more than a third of the step. Reusing buffers gives both: memory
 * close to the arrays actually alive, and few fresh pages after the first steps. A workspace per
 * step cannot do this: it frees nothing until the step ends.
 *
 * <p>Rules: only arrays that own their whole buffer go back to the pool; views and reshapes
 * (their base owns the memory) and arrays in a workspace (the workspace owns it) are left
 * alone. An array must not be used after its release; with {@code -Dunet4j.pool=false} released
 * arrays are closed instead, so that such a use fails loudly, and new arrays are filled with NaN,
 * so that reading one before it is written spreads NaN (the tests run both ways). While a
 * workspace is open, {@link #allocate} allocates in it, as ND4J would. The pool is per thread;
 * {@link #trimPool()} returns its idle buffers to the system.
 */
public final class BufferPool {
    /** Idle buffers by type and length, and the buffers lent out (by address) with the length asked for. */
    private static final class Pool {
        final Map<DataType, TreeMap<Long, ArrayDeque<DataBuffer>>> free = new EnumMap<>(DataType.class);
        final Map<Long, Lent> lent = new HashMap<>();
        final Set<Long> idle = new HashSet<>();
        long idleBytes;
        long lentBytes;
        long heldBytes;
        long peakLentBytes;
        long maxLentBytes;
    }

    /**
     * A pooled buffer serves a request up to this fraction shorter than itself, and the pool may
     * hold this fraction more than the most ever in use: the maps of one level of the U-Net
     * (before and after each unpadded convolution, and their gradients) differ by a few percent
     * in size and can share buffers.
     */
    private static final double SLACK = 0.0625;
    /**
     * With no room to grow, a request takes an idle buffer up to this many times as long before
     * idle buffers are freed for new memory. 2 made a training step take hundreds of MB of new memory
     * in a cycle of sizes; no bound let small requests take large buffers; 8 keeps both low
     * (docs/performance.md, "Measurements behind the code").
     */
    private static final long FALLBACK = 8;

    /**
     * An array lent out: the bytes asked for and held, the array and its buffer, both weakly (an array
     * dropped without release is left to the garbage collector, which frees its buffer as ND4J
     * does; another buffer may then be given the same address, which the buffer tells apart).
     */
    private record Lent(long bytes, long bufferBytes, WeakReference<INDArray> array,
            WeakReference<DataBuffer> buffer) {
    }

    private static final ThreadLocal<Pool> POOL = ThreadLocal.withInitial(Pool::new);
    private static volatile boolean pooling = !"false".equals(System.getProperty("unet4j.pool"));

    private BufferPool() {
    }

    /**
     * @param enabled true to reuse released buffers (the default), false to free released
     *                arrays at once (then any use after release throws; for tests)
     */
    public static void setPooling(boolean enabled) {
        if (!enabled) {
            trimPool();
        }
        pooling = enabled;
    }

    /** @return whether released buffers are reused (see {@link #setPooling}) */
    public static boolean pooling() {
        return pooling;
    }

    /**
     * A c-ordered array with undefined contents, on an idle pooled buffer of the same type that
     * is long enough (and not much longer) if there is one, else on new memory; in the current
     * workspace if one is open.
     *
     * @param dtype the data type
     * @param shape the shape
     * @return the array, owned by the caller
     */
    public static INDArray allocate(DataType dtype, long... shape) {
        if (Nd4j.getMemoryManager().getCurrentWorkspace() != null) {
            return Nd4j.createUninitialized(dtype, shape, 'c');
        }
        long n = lengthOf(shape);
        Pool pool = POOL.get();
        DataBuffer b = pooling ? take(pool, dtype, n, n + (long) (n * SLACK)) : null;
        long bytes = n * dtype.width();
        if (b == null && pool.heldBytes + pool.idleBytes + bytes > limit(pool, bytes)) {
            // No room to grow: a longer idle buffer beats new memory next to idle memory.
            b = pooling ? take(pool, dtype, n, FALLBACK * n) : null;
            if (b == null) {
                evictFor(pool, bytes);
            }
        }
        INDArray a = b == null ? Nd4j.createUninitializedDetached(dtype, shape)
                : Nd4j.create(b, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
        if (!pooling && dtype.isFPType()) {
            a.assign(Double.NaN); // the test mode: an op that reads its output before writing it shows
        }
        DataBuffer buffer = root(a.data());
        long bufferBytes = buffer.length() * dtype.width();
        Lent stale = pool.lent.put(buffer.address(), new Lent(n * dtype.width(), bufferBytes, new WeakReference<>(a), new WeakReference<>(buffer)));
        if (stale != null) { // its array was dropped without release and its memory reused
            pool.lentBytes -= stale.bytes();
            pool.heldBytes -= stale.bufferBytes();
        }
        pool.lentBytes += n * dtype.width();
        pool.heldBytes += bufferBytes;
        pool.peakLentBytes = Math.max(pool.peakLentBytes, pool.lentBytes);
        pool.maxLentBytes = Math.max(pool.maxLentBytes, pool.lentBytes);
        return a;
    }

    /**
     * The most ever in use (or about to be), plus the slack: what lent and idle buffers may
     * take in all before idle ones are freed.
     */
    private static long limit(Pool pool, long bytes) {
        return (long) (Math.max(pool.maxLentBytes, pool.lentBytes + bytes) * (1 + SLACK));
    }

    /**
     * Before new memory is taken with no room to grow and no idle buffer of a usable length
     * (long enough, and at most {@link #FALLBACK} times as long): frees idle buffers, largest
     * first, until in use + idle + the new array fit the limit. Without it the pool would keep
     * buffers of one size idle while it grows buffers of another (the contracting path's maps are
     * a little larger than the expanding path's); with it the pool stays close to the most ever
     * in use.
     */
    private static void evictFor(Pool pool, long bytes) {
        long limit = limit(pool, bytes);
        while (pool.idleBytes > 0 && pool.heldBytes + pool.idleBytes + bytes > limit) {
            TreeMap<Long, ArrayDeque<DataBuffer>> largest = null;
            long largestBytes = -1;
            for (Map.Entry<DataType, TreeMap<Long, ArrayDeque<DataBuffer>>> e : pool.free.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    long b = e.getValue().lastKey() * e.getKey().width();
                    if (b > largestBytes) {
                        largestBytes = b;
                        largest = e.getValue();
                    }
                }
            }
            Map.Entry<Long, ArrayDeque<DataBuffer>> last = largest.lastEntry();
            DataBuffer victim = last.getValue().poll();
            if (last.getValue().isEmpty()) {
                largest.remove(last.getKey());
            }
            pool.idleBytes -= largestBytes;
            pool.idle.remove(victim.address());
            victim.close();
        }
    }

    private static DataBuffer take(Pool pool, DataType dtype, long n, long maxLength) {
        TreeMap<Long, ArrayDeque<DataBuffer>> byLength = pool.free.get(dtype);
        if (byLength == null) {
            return null;
        }
        Map.Entry<Long, ArrayDeque<DataBuffer>> e = byLength.ceilingEntry(n);
        if (e == null || e.getKey() > maxLength) {
            return null;
        }
        DataBuffer b = e.getValue().poll();
        if (e.getValue().isEmpty()) {
            byLength.remove(e.getKey());
        }
        pool.idle.remove(b.address());
        pool.idleBytes -= b.length() * dtype.width();
        return b;
    }

    private static long lengthOf(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * Hands {@code a}'s memory back unless it shares its buffer with one of {@code keep}. An
     * array from {@link #allocate} goes back to the pool; any other array that owns its buffer
     * is closed; views, reshapes, workspace arrays and released arrays are left alone.
     *
     * @param a    an array the caller created (or was given to own) and no longer needs, or null
     * @param keep arrays that must stay valid (nulls ignored)
     */
    public static void release(INDArray a, INDArray... keep) {
        if (a == null || a.wasClosed() || a.isAttached()) {
            return;
        }
        for (INDArray k : keep) {
            if (sameMemory(a, k)) {
                return;
            }
        }
        Pool pool = POOL.get();
        DataBuffer b = root(a.data());
        Lent l = lentAt(pool, b);
        if (l == null && pool.idle.contains(b.address())) {
            return; // released already (an in-place gradient shares its activation's buffer)
        }
        if (l == null) {
            if (a.closeable()) {
                a.close();
            }
        } else if (l.array().get() == a) { // the array lent, not a view or reshape of it
            giveBack(pool, b, l);
        }
    }

    /**
     * Hands back the memory under {@code a}, which may be a view or reshape of the array that
     * owns it: for the one owner of array lifetimes ({@link io.github.unet4j.core.graph.Tape}),
     * which knows that no live array shares it. A buffer from {@link #allocate} goes back to the
     * pool, an array that owns its buffer is closed, anything else is left to the garbage
     * collector.
     *
     * @param a an array whose memory no one uses any more, or null
     */
    public static void releaseMemory(INDArray a) {
        if (a == null || a.wasClosed() || a.isAttached()) {
            return;
        }
        Pool pool = POOL.get();
        DataBuffer b = root(a.data());
        Lent l = lentAt(pool, b);
        if (l != null) {
            giveBack(pool, b, l);
        } else if (!pool.idle.contains(b.address()) && a.closeable()) {
            a.close();
        }
    }

    /**
     * The record of {@code b} if the pool lent it. A record at {@code b}'s address for another
     * buffer is stale (its array was dropped without release, collected, and the address given
     * to new memory): it is dropped, so that {@code b} is treated as the array it is.
     */
    private static Lent lentAt(Pool pool, DataBuffer b) {
        Lent l = pool.lent.get(b.address());
        if (l != null && l.buffer().get() != b) {
            pool.lent.remove(b.address());
            pool.lentBytes -= l.bytes();
            pool.heldBytes -= l.bufferBytes();
            return null;
        }
        return l;
    }

    private static void giveBack(Pool pool, DataBuffer b, Lent l) {
        pool.lent.remove(b.address());
        pool.lentBytes -= l.bytes();
        pool.heldBytes -= l.bufferBytes();
        if (pooling) {
            pool.free.computeIfAbsent(b.dataType(), k -> new TreeMap<>())
                    .computeIfAbsent(b.length(), k -> new ArrayDeque<>()).push(b);
            pool.idle.add(b.address());
            pool.idleBytes += b.length() * b.dataType().width();
        } else {
            b.close();
        }
    }

    /** @return bytes held by this thread's pool for reuse, not in use by any array */
    public static long pooledBytes() {
        return POOL.get().idleBytes;
    }

    /**
     * @return the most bytes of {@link #allocate}d arrays in use at once on this thread since
     *         the last {@link #resetPeak()} (their lengths, not their possibly longer buffers)
     */
    public static long peakInUseBytes() {
        return POOL.get().peakLentBytes;
    }

    /** Starts a new {@link #peakInUseBytes()} measurement from what is in use now. */
    public static void resetPeak() {
        Pool pool = POOL.get();
        pool.peakLentBytes = pool.lentBytes;
    }

    /** Frees the idle buffers of this thread's pool (after training, or between networks). */
    public static void trimPool() {
        Pool pool = POOL.get();
        for (TreeMap<Long, ArrayDeque<DataBuffer>> byLength : pool.free.values()) {
            byLength.values().forEach(q -> q.forEach(DataBuffer::close));
        }
        pool.free.clear();
        pool.idle.clear();
        pool.idleBytes = 0;
        pool.maxLentBytes = pool.lentBytes; // the pool's size limit starts over from what is in use
    }

    /**
     * @param a an array, or null
     * @param b an array, or null
     * @return whether both are non-null and share memory (the same array, a view or reshape of
     *         the other, or two views of one base)
     */
    public static boolean sameMemory(INDArray a, INDArray b) {
        return a != null && b != null && (a == b || root(a.data()) == root(b.data()));
    }

    private static DataBuffer root(DataBuffer b) {
        DataBuffer r = b;
        for (DataBuffer u = r.underlyingDataBuffer(); u != null && u != r; u = r.underlyingDataBuffer()) {
            r = u;
        }
        return r;
    }
}
