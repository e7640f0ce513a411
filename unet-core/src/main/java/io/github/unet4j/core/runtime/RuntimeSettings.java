package io.github.unet4j.core.runtime;

import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.ops.RowBands;

/**
 * The process-wide settings of the native runtime, in one immutable, validated place; applied by
 * {@link UNetRuntime#setUp(RuntimeSettings)}.
 *
 * @param selectBackend pick the fastest oneDNN build of nd4j-native on the class path for this CPU
 *                      ({@link NativeBackend}); a {@code -Dorg.bytedeco.javacpp.platform.extension}
 *                      given by the user is kept
 * @param tuneMalloc    set glibc's malloc for the network's memory ({@link NativeMemory}); nothing
 *                      changes when the environment sets malloc's variables
 * @param bandBytes     input plus output bytes one call of a banded convolution touches at most
 *                      ({@link RowBands}); {@code Long.MAX_VALUE} for one call per op
 * @param pooling       reuse released array buffers ({@link BufferPool}); false frees them at once, so
 *                      that a use after release fails (for tests)
 */
public record RuntimeSettings(boolean selectBackend, boolean tuneMalloc, long bandBytes, boolean pooling) {

    /** @throws IllegalArgumentException for a band size under one byte */
    public RuntimeSettings {
        if (bandBytes < 1) {
            throw new IllegalArgumentException("RuntimeSettings: bandBytes must be >= 1, got " + bandBytes
                    + " (Long.MAX_VALUE turns banding off)");
        }
    }

    /**
     * @return everything on, the band size and pooling as in force now (their defaults, or the
     *         system properties {@code unet4j.bandBytes} and {@code unet4j.pool})
     */
    public static RuntimeSettings defaults() {
        return new RuntimeSettings(true, true, RowBands.bandBytes(), BufferPool.pooling());
    }

    /**
     * @param v whether to pick the oneDNN build
     * @return a copy with that setting
     */
    public RuntimeSettings withSelectBackend(boolean v) {
        return new RuntimeSettings(v, tuneMalloc, bandBytes, pooling);
    }

    /**
     * @param v whether to tune malloc
     * @return a copy with that setting
     */
    public RuntimeSettings withTuneMalloc(boolean v) {
        return new RuntimeSettings(selectBackend, v, bandBytes, pooling);
    }

    /**
     * @param v the band size in bytes
     * @return a copy with that setting
     */
    public RuntimeSettings withBandBytes(long v) {
        return new RuntimeSettings(selectBackend, tuneMalloc, v, pooling);
    }

    /**
     * @param v whether to reuse buffers
     * @return a copy with that setting
     */
    public RuntimeSettings withPooling(boolean v) {
        return new RuntimeSettings(selectBackend, tuneMalloc, bandBytes, v);
    }
}
