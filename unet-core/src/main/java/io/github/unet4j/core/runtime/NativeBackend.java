package io.github.unet4j.core.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Picks the fastest oneDNN build of nd4j-native that this CPU can run, before ND4J loads.
 *
 * <p>The examples carry three native builds: {@code -onednn-avx512}, {@code -onednn-avx2} and the
 * generic {@code -onednn}. Which one JavaCPP loads when several are on the class path is not
 * obvious, so this sets {@code org.bytedeco.javacpp.platform.extension} explicitly. A value the
 * user already set (with {@code -D}) is kept.
 */
public final class NativeBackend {
    /** The JavaCPP property that selects a native build. */
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";

    /** The CPU levels with a oneDNN build, fastest first. */
    public enum Level {
        /** AVX-512 (F, BW, DQ, VL). */
        AVX512("-onednn-avx512", List.of("avx512f", "avx512bw", "avx512dq", "avx512vl")),
        /** AVX2 with FMA. */
        AVX2("-onednn-avx2", List.of("avx2", "fma")),
        /** Any x86-64 CPU. */
        GENERIC("-onednn", List.of());

        private final String extension;
        private final List<String> flags;

        Level(String extension, List<String> flags) {
            this.extension = extension;
            this.flags = flags;
        }

        /** @return the JavaCPP platform extension of this build */
        public String extension() {
            return extension;
        }

        /**
         * @param cpuFlags the CPU's feature flags
         * @return the fastest level whose required flags are all present
         */
        public static Level best(Set<String> cpuFlags) {
            for (Level l : values()) {
                if (cpuFlags.containsAll(l.flags)) {
                    return l;
                }
            }
            return GENERIC;
        }
    }

    private NativeBackend() {
    }

    /**
     * Describes the backend that runs; call after {@link #select()}. Loads ND4J.
     *
     * @return e.g. {@code "nd4j-native -onednn-avx512 with oneDNN, 2 threads"}, or the backend's
     *     class name for a backend other than nd4j-native (the CUDA one with {@code -Pcuda})
     */
    public static String describe() {
        if (!cpuBackendPresent()) {
            return Nd4j.getBackend().getClass().getSimpleName() + " (not nd4j-native), platform extension "
                    + System.getProperty(PROPERTY, "(JavaCPP's default)");
        }
        boolean onednn = Nd4j.getBackend().buildInfo().contains("HAVE_ONEDNN");
        return "nd4j-native " + System.getProperty(PROPERTY, "(JavaCPP's default build)")
                + (onednn ? " with oneDNN" : " WITHOUT oneDNN (3x3 convolutions about 5x slower)") + ", "
                + Nd4j.getEnvironment().maxThreads() + " threads";
    }

    /**
     * Sets the extension property unless the user set it.
     *
     * @return the extension in force
     */
    public static String select() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            return given;
        }
        if (!cpuBackendPresent()) {
            // Another backend (nd4j-cuda with -Pcuda): a oneDNN extension would make JavaCPP look
            // for a native build that does not exist; its own default (-cudnn first) is right.
            return "";
        }
        String ext = Level.best(cpuFlags(Path.of("/proc/cpuinfo"))).extension();
        System.setProperty(PROPERTY, ext);
        return ext;
    }

    /** @return whether nd4j-native's backend class is on the class path (checked without loading ND4J) */
    static boolean cpuBackendPresent() {
        try {
            Class.forName("org.nd4j.linalg.cpu.nativecpu.CpuBackend", false, NativeBackend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * @param cpuinfo a /proc/cpuinfo file
     * @return the feature flags of its first processor, empty if unreadable (then the generic build runs)
     */
    static Set<String> cpuFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    String v = line.substring(line.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT);
                    return new HashSet<>(Arrays.asList(v.split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
        return Set.of();
    }
}
