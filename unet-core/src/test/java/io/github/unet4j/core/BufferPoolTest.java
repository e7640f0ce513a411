package io.github.unet4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The buffer pool behind the network's arrays: reuse, slack, what is never pooled, accounting. */
class BufferPoolTest {
    private boolean wasPooling;

    @BeforeEach
    void pooling() {
        wasPooling = !"false".equals(System.getProperty("unet4j.pool"));
        BufferPool.setPooling(true);
        BufferPool.trimPool();
    }

    @AfterEach
    void restore() {
        BufferPool.trimPool();
        BufferPool.setPooling(wasPooling);
    }

    private static long address(INDArray a) {
        return a.data().address();
    }

    @Test
    void aReleasedBufferServesTheNextArrayOfTheSameTypeAndLength() {
        INDArray a = BufferPool.allocate(DataType.FLOAT, 2, 3, 4);
        long addr = address(a);
        BufferPool.release(a);
        assertEquals(24 * 4, BufferPool.pooledBytes());
        INDArray b = BufferPool.allocate(DataType.FLOAT, 4, 6);
        assertEquals(addr, address(b), "same buffer, new shape");
        assertEquals(0, BufferPool.pooledBytes());
        b.assign(7);
        assertEquals(7 * 24, b.sumNumber().doubleValue(), 0);
        INDArray c = BufferPool.allocate(DataType.DOUBLE, 24);
        assertNotEquals(addr, address(c), "another type never shares");
    }

    @Test
    void aLongerBufferServesWithinTheSlackOrWhenThePoolIsFull() {
        // Millions of floats: arrays other tests of this thread left lent are small beside them.
        INDArray big = BufferPool.allocate(DataType.FLOAT, 5_000_000);
        INDArray a = BufferPool.allocate(DataType.FLOAT, 1_000_000);
        long addr = address(a);
        BufferPool.release(a);
        // Room to grow (in use + idle + new within the most ever in use + slack): new memory.
        INDArray small = BufferPool.allocate(DataType.FLOAT, 100_000);
        assertNotEquals(addr, address(small));
        BufferPool.release(small);
        INDArray close = BufferPool.allocate(DataType.FLOAT, 950_000); // 5% shorter: served
        assertEquals(addr, address(close));
        assertEquals(950_000, close.length());
        close.assign(1);
        assertEquals(950_000, close.sumNumber().doubleValue(), 0);
        BufferPool.release(close);
        assertEquals((1_000_000 + 100_000) * 4, BufferPool.pooledBytes(), "the whole buffer goes back");
        long bigAddr = address(big);
        BufferPool.release(big);
        // No room to grow: the shortest idle buffer that is long enough serves (up to 8x as long).
        INDArray half = BufferPool.allocate(DataType.FLOAT, 3_000_000);
        assertEquals(bigAddr, address(half));
        assertEquals((1_000_000 + 100_000) * 4, BufferPool.pooledBytes());
        BufferPool.release(half);
    }

    @Test
    void viewsReshapesAndSecondReleasesAreIgnored() {
        INDArray a = BufferPool.allocate(DataType.FLOAT, 4, 5);
        a.assign(3);
        BufferPool.release(a.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()));
        BufferPool.release(a.reshape(20));
        assertEquals(0, BufferPool.pooledBytes(), "a view does not own the buffer");
        assertEquals(60, a.sumNumber().doubleValue(), 0);
        BufferPool.release(a);
        BufferPool.release(a);
        assertEquals(20 * 4, BufferPool.pooledBytes(), "pooled once");
        INDArray b = BufferPool.allocate(DataType.FLOAT, 20);
        INDArray c = BufferPool.allocate(DataType.FLOAT, 20);
        assertNotEquals(address(b), address(c), "a buffer is never lent twice");
    }

    @Test
    void keptArraysAndOtherArraysAndWorkspaceArrays() {
        INDArray a = BufferPool.allocate(DataType.FLOAT, 10);
        BufferPool.release(a, a.reshape(2, 5));
        assertEquals(0, BufferPool.pooledBytes(), "shares memory with a kept array");
        INDArray plain = Nd4j.create(DataType.FLOAT, 10);
        BufferPool.release(plain);
        assertTrue(plain.wasClosed(), "an array not from allocate is freed");
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(1 << 16).build();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "tensors-test")) {
            INDArray w = BufferPool.allocate(DataType.FLOAT, 10);
            assertTrue(w.isAttached(), "inside a workspace, allocate uses it");
            BufferPool.release(w);
            assertFalse(w.wasClosed());
        }
        assertEquals(0, BufferPool.pooledBytes());
    }

    /**
     * An array lent and then freed without release (as the garbage collector frees a dropped
     * one) leaves a record at its address; a plain array that malloc puts at that address must
     * still be closed on release, not taken for the lent one (CI once failed the test above so).
     */
    @Test
    void aPlainArrayAtTheAddressOfADroppedLentArrayIsClosed() {
        INDArray lent = BufferPool.allocate(DataType.FLOAT, 1000);
        long addr = address(lent);
        long inUse = BufferPool.peakInUseBytes();
        lent.close(); // what the collector does to a dropped array's buffer
        INDArray plain = null;
        for (int i = 0; i < 50 && plain == null; i++) {
            INDArray p = Nd4j.create(DataType.FLOAT, 1000);
            if (address(p) == addr) {
                plain = p;
            }
        }
        assumeTrue(plain != null, "malloc gave no new array the freed address");
        BufferPool.release(plain);
        assertTrue(plain.wasClosed(), "a plain array at a stale address is freed");
        assertEquals(0, BufferPool.pooledBytes(), "and not pooled");
        INDArray next = BufferPool.allocate(DataType.FLOAT, 1000);
        BufferPool.release(next);
        assertEquals(1000 * 4, BufferPool.pooledBytes());
        assertTrue(inUse >= 1000 * 4);
    }

    @Test
    void withoutPoolingAReleasedArrayIsClosed() {
        BufferPool.setPooling(false);
        INDArray a = BufferPool.allocate(DataType.FLOAT, 10);
        BufferPool.release(a);
        assertTrue(a.wasClosed());
        assertEquals(0, BufferPool.pooledBytes());
    }

    /**
     * On a thread of its own, whose pool has lent nothing: on the test thread, arrays that other
     * tests dropped without release are counted as in use until an allocation reuses their freed
     * address, which made this test's counts depend on the garbage collector (once 200 bytes off).
     */
    @Test
    void peakInUseCountsArraysNotBuffers() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            thread.submit(() -> {
                assertEquals(0, BufferPool.peakInUseBytes(), "a new thread's pool has lent nothing");
                INDArray a = BufferPool.allocate(DataType.FLOAT, 100);
                INDArray b = BufferPool.allocate(DataType.FLOAT, 50);
                BufferPool.release(a);
                BufferPool.release(b);
                INDArray c = BufferPool.allocate(DataType.FLOAT, 95); // on a's buffer
                assertEquals(600, BufferPool.peakInUseBytes());
                BufferPool.resetPeak();
                assertEquals(380, BufferPool.peakInUseBytes(), "what is in use now: c's 95 floats");
                BufferPool.release(c);
                BufferPool.trimPool();
                assertEquals(0, BufferPool.pooledBytes());
                return null;
            }).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError failure) {
                throw failure;
            }
            throw e;
        } finally {
            thread.shutdown();
        }
    }
}
