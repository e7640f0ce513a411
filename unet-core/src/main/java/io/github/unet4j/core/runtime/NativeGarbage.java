package io.github.unet4j.core.runtime;

/**
 * Runs the garbage collector at most once a second between units of work (training steps,
 * inference batches), because ND4J frees the small native allocations behind every op call (op
 * contexts, shape descriptors: a few kilobytes each) only when their Java objects are
 * collected, and with the network's big arrays managed explicitly (see {@code core.BufferPool})
 * the Java heap fills too slowly for that to happen on its own.
 *
 * <p>Without it a training loop's resident memory grows by megabytes a step; a collection of
 * the small heap costs tens of milliseconds (docs/performance.md, "Measurements behind the
 * code"). With {@code -XX:+DisableExplicitGC} this does nothing.
 *
 * <p>An application may add a step after each collection ({@link #afterCollect}): the
 * {@code unet} command returns malloc's free heap memory to the system there.
 */
public final class NativeGarbage {
    /** The least time between two collections. */
    public static final long INTERVAL_NANOS = 1_000_000_000L;
    private static long last = System.nanoTime();
    private static volatile Runnable afterCollect = () -> { };

    private NativeGarbage() {
    }

    /** Collects if a second has passed since the last collection requested here. */
    public static synchronized void collectIfDue() {
        long now = System.nanoTime();
        if (now - last >= INTERVAL_NANOS) {
            System.gc();
            afterCollect.run();
            last = System.nanoTime();
        }
    }

    /**
     * @param action what to run after each collection from now on (replaces the previous one),
     *               e.g. giving free native memory back to the system
     */
    public static void afterCollect(Runnable action) {
        afterCollect = java.util.Objects.requireNonNull(action, "action");
    }
}
