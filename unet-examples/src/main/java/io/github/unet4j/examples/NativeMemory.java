package io.github.unet4j.examples;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * glibc's malloc settings for the memory-lean mode ({@code --activations RECOMPUTE}): memory
 * freed inside a training step is given back to the system promptly instead of kept in the
 * allocator's heaps.
 *
 * <p>ND4J's native ops (oneDNN's reorders in particular) allocate and free hundreds of
 * megabytes of temporaries per training step. By default glibc keeps freed memory below a trim
 * threshold that grows with the largest block freed (up to 64 MB per heap) and serves
 * mid-sized blocks from heaps it rarely shrinks: measured on the paper's network, that kept
 * about 250 MB more resident at the peak of a step. {@code mallopt(M_TRIM_THRESHOLD, 1 MiB)}
 * (the same as the environment variable {@code MALLOC_TRIM_THRESHOLD_=1048576}) gives it back,
 * at a price: the native ops' temporaries are then fresh memory every time (page faults, about
 * 20% on a step of the paper's network with activations kept), so only the memory-lean mode
 * asks for it. An environment variable set by the user wins.
 */
public final class NativeMemory {
    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);
    /** The environment variable that sets the same thing; if present, it is left in charge. */
    public static final String ENV = "MALLOC_TRIM_THRESHOLD_";
    /** Bytes: free memory above this at the top of a heap is returned to the system. */
    public static final int TRIM_THRESHOLD = 1 << 20;
    private static final int M_TRIM_THRESHOLD = -1;
    private static String state = "malloc: glibc defaults (not tuned)";

    /** The C library function used. */
    interface CLibrary extends Library {
        int mallopt(int param, int value);
    }

    private NativeMemory() {
    }

    /**
     * Sets the trim threshold unless the environment sets it or the system is not Linux; logs
     * what it did. Takes effect for memory freed from then on.
     *
     * @return what is in force, as {@link #describe()} says it
     */
    public static synchronized String tune() {
        if (System.getenv(ENV) != null) {
            state = "malloc: trim threshold " + System.getenv(ENV) + " from " + ENV;
        } else if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            state = "malloc: system defaults (" + System.getProperty("os.name") + ", not Linux)";
        } else {
            try {
                CLibrary c = Native.loadLibrary("c", CLibrary.class);
                state = c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
                        ? "malloc: trim threshold " + TRIM_THRESHOLD + " bytes (mallopt)"
                        : "malloc: glibc defaults (mallopt refused the trim threshold)";
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                state = "malloc: glibc defaults (mallopt unavailable: " + e.getMessage() + ")";
            }
        }
        LOG.info(state);
        return state;
    }

    /** @return what {@link #tune()} put in force, or that it did not run */
    public static synchronized String describe() {
        return state;
    }
}
