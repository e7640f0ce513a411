package io.github.unet4j.core.runtime;

import io.github.unet4j.core.BufferPool;
import org.bytedeco.javacpp.Pointer;

/**
 * How much more off-heap memory ND4J can allocate in this process, to refuse a tile too large
 * before allocating it ({@code UNet.peakBytes} says what a tile needs). ND4J's arrays are
 * JavaCPP allocations, which fail with an {@link OutOfMemoryError} once their total would pass
 * JavaCPP's limit ({@code -Dorg.bytedeco.javacpp.maxbytes}, by default the JVM's {@code -Xmx});
 * and the system must have the pages.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /**
     * @return the JavaCPP limit less what is allocated (the buffer pool's idle buffers count as
     *         free: they are reused), and at most the memory the system reports available
     */
    public static long availableBytes() {
        long limit = Pointer.maxBytes() > 0
                ? Pointer.maxBytes() - Pointer.totalBytes() + BufferPool.pooledBytes() : Long.MAX_VALUE;
        long system = Pointer.availablePhysicalBytes();
        return Math.max(0, Math.min(limit, system > 0 ? system + BufferPool.pooledBytes() : Long.MAX_VALUE));
    }

    /** @return how the limit is set, for messages: the JavaCPP limit and the system's available memory */
    public static String describe() {
        return String.format("%s for ND4J (-Xmx, or -Dorg.bytedeco.javacpp.maxbytes), %s of RAM available",
                gb(Pointer.maxBytes()), gb(Pointer.availablePhysicalBytes()));
    }

    /**
     * @param bytes a size
     * @return e.g. {@code "3.2 GB"} (GiB)
     */
    public static String gb(long bytes) {
        return String.format("%.1f GB", bytes / (double) (1L << 30));
    }
}
