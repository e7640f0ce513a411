package io.github.unet4j.core.runtime;

import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.ops.RowBands;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one call a program makes before it uses ND4J: {@code UNetRuntime.setUp()} picks the
 * fastest oneDNN build of nd4j-native for this CPU, sets malloc up for the network's memory and
 * applies the banding and pooling settings; {@link #describe()} says what runs.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     UNetRuntime.setUp();            // first thing: the backend is chosen before ND4J loads
 *     ...
 * }
 * }</pre>
 */
public final class UNetRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(UNetRuntime.class);

    private UNetRuntime() {
    }

    /**
     * {@link #setUp(RuntimeSettings)} with {@link RuntimeSettings#defaults()}.
     *
     * @return what was set, see {@link #setUp(RuntimeSettings)}
     */
    public static String setUp() {
        return setUp(RuntimeSettings.defaults());
    }

    /**
     * Applies the settings. Call it before anything touches ND4J: the native build can be chosen
     * only before ND4J loads, and malloc's settings apply to memory allocated afterwards.
     *
     * @param settings the settings
     * @return what was set: the native build chosen, malloc's settings, bands and pooling
     *         (without loading ND4J; {@link #describe()} says what runs)
     */
    public static synchronized String setUp(RuntimeSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (settings.tuneMalloc()) {
            NativeMemory.tune();
        }
        String build = settings.selectBackend() ? NativeBackend.select() : "";
        RowBands.setBandBytes(settings.bandBytes());
        BufferPool.setPooling(settings.pooling());
        String d = "native build " + (build.isEmpty() ? "(JavaCPP's default)" : build) + "; " + NativeMemory.describe()
                + "; " + bands() + "; buffer pooling " + (BufferPool.pooling() ? "on" : "off");
        LOG.debug("unet4j runtime set up: {}", d);
        return d;
    }

    private static String bands() {
        long bands = RowBands.bandBytes();
        return bands == Long.MAX_VALUE ? "no row bands" : "bands of " + bands + " bytes";
    }

    /**
     * @return e.g. {@code "nd4j-native -onednn-avx512 with oneDNN, 2 threads; malloc: ...; bands
     *         of 4194304 bytes; buffer pooling on; convolutions by oneDNN 2.5.2 (...) in fp32, direct"} (loads
     *         ND4J and the convolution accelerator)
     */
    public static String describe() {
        io.github.unet4j.core.ops.ConvAccelerator fast = io.github.unet4j.core.ops.Accelerators.conv();
        return NativeBackend.describe() + "; " + NativeMemory.describe() + "; " + bands() + "; buffer pooling "
                + (BufferPool.pooling() ? "on" : "off") + "; " + (fast == null ? "convolutions by ND4J"
                : fast.describe() + " in " + fast.precision().label() + ", " + fast.algorithm().label());
    }
}
