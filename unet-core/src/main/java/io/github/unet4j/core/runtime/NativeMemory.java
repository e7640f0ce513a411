package io.github.unet4j.core.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.github.unet4j.core.runtime.NativeGarbage;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * glibc's malloc settings for the network's native memory, applied by
 * {@link UNetRuntime#setUp()} at start-up (library users can do the same with the environment
 * variables {@code MALLOC_MMAP_THRESHOLD_=8388608 MALLOC_ARENA_MAX=2}).
 *
 * <p>Why: the network's large arrays (parameters, and the pooled activations and gradients of
 * {@code core.BufferPool}) live as long as training; the native ops' temporaries (oneDNN's
 * reorders into its blocked layout) are allocated and freed inside each op call, at most a few
 * MB each because the largest ops run over row bands ({@code core.ops.RowBands}). By default
 * glibc raises its mmap threshold as large blocks are freed, so both kinds end up interleaved in
 * its heaps, where freed space is kept and fragments. A fixed mmap threshold of
 * {@value #MMAP_THRESHOLD} bytes maps every larger block directly (returned whole when freed)
 * and leaves the heaps to the small temporaries; 8 MB rather than less because every mapped
 * block is new pages, faulted in on first touch. Two heaps ({@value #ARENA_MAX}) instead of one
 * per thread keep them in fewer places, and after each of {@link NativeGarbage}'s collections
 * {@code malloc_trim(0)} gives the heaps' free memory back. The measurements behind each setting
 * are in docs/performance.md ("Measurements behind the code"). If any of glibc's malloc
 * environment variables is set, the user is in charge and
 * nothing is changed.
 */
public final class NativeMemory {
    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);
    /** glibc's environment variables for the same settings; if one is present, nothing is tuned. */
    public static final List<String> ENV = List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_ARENA_MAX",
            "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES");
    /** Bytes: blocks this large or larger are mapped directly, not served from malloc's heaps. */
    public static final int MMAP_THRESHOLD = 8 << 20;
    /** malloc heaps (arenas) at most. */
    public static final int ARENA_MAX = 2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_ARENA_MAX = -8;
    private static String state = "malloc: glibc defaults (not tuned)";

    /** The C library function used. */
    interface CLibrary extends Library {
        int mallopt(int param, int value);

        int malloc_trim(long pad);
    }

    private NativeMemory() {
    }

    /**
     * Applies the settings unless the environment sets malloc's or the system is not Linux; logs
     * what it did. Takes effect for memory allocated from then on, so call it first thing.
     *
     * @return what is in force, as {@link #describe()} says it
     */
    public static synchronized String tune() {
        String fromEnv = ENV.stream().filter(v -> System.getenv(v) != null).findFirst().orElse(null);
        if (fromEnv != null) {
            state = "malloc: as the environment sets it (" + fromEnv + " is set)";
        } else if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            state = "malloc: system defaults (" + System.getProperty("os.name") + ", not Linux)";
        } else {
            try {
                CLibrary c = Native.loadLibrary("c", CLibrary.class);
                boolean mmap = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1;
                boolean arenas = c.mallopt(M_ARENA_MAX, ARENA_MAX) == 1;
                if (mmap && arenas) {
                    NativeGarbage.afterCollect(() -> c.malloc_trim(0));
                    state = "malloc: mmap threshold " + MMAP_THRESHOLD + " bytes, " + ARENA_MAX
                            + " arenas (mallopt), trimmed after each native-garbage collection";
                } else {
                    state = "malloc: glibc defaults (mallopt refused: mmap threshold " + mmap + ", arenas " + arenas
                            + ")";
                }
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                state = "malloc: glibc defaults (mallopt unavailable: " + e.getMessage() + ")";
            }
        }
        LOG.debug(state);
        return state;
    }

    /** @return what {@link #tune()} put in force, or that it did not run */
    public static synchronized String describe() {
        return state;
    }
}
