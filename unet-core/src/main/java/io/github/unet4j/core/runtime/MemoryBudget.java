package io.github.unet4j.core.runtime;

import io.github.unet4j.core.BufferPool;
import org.bytedeco.javacpp.Pointer;

/**
 * How much more off-heap memory ND4J can allocate in this process, to refuse a tile too large
 * before allocating it ({@code UNet.peakBytes} says what a tile needs). ND4J's CPU arrays are
 * allocated by libnd4j, outside JavaCPP's count of its own allocations ({@code totalBytes}),
 * but the next JavaCPP allocation fails with an {@link OutOfMemoryError} once the process's
 * resident memory passes {@code -Dorg.bytedeco.javacpp.maxphysicalbytes} (by default 4 x the
 * JVM's {@code -Xmx}); and the system must have the pages.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /**
     * @return JavaCPP's limit on resident memory less the resident memory now, and at most the
     *         memory the system reports available; the buffer pool's idle buffers count as free
     *         (they are reused)
     */
    public static long availableBytes() {
        long limit = Pointer.maxPhysicalBytes() > 0 ? Pointer.maxPhysicalBytes() - Pointer.physicalBytes()
                : Long.MAX_VALUE;
        long system = Pointer.availablePhysicalBytes();
        long free = Math.min(limit, system > 0 ? system : Long.MAX_VALUE);
        return Math.max(0, free == Long.MAX_VALUE ? free : free + BufferPool.pooledBytes());
    }

    /** @return how the limit is set, for messages: JavaCPP's limit and the system's available memory */
    public static String describe() {
        return String.format("a limit of %s resident (4 x -Xmx, or -Dorg.bytedeco.javacpp.maxphysicalbytes), "
                + "%s of RAM available", gb(Pointer.maxPhysicalBytes()), gb(Pointer.availablePhysicalBytes()));
    }

    /**
     * @param bytes a size
     * @return e.g. {@code "3.2 GB"} (GiB)
     */
    public static String gb(long bytes) {
        return String.format("%.1f GB", bytes / (double) (1L << 30));
    }
}
