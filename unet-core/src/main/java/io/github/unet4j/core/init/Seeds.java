package io.github.unet4j.core.init;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One seed, split into independent named streams (initialisation, sampling, augmentation,
 * dropout), so that changing how one consumer draws numbers does not shift the others.
 */
public final class Seeds {
    private Seeds() {
    }

    /**
     * @param seed    the run's seed
     * @param purpose name of the stream, e.g. {@code "init"}
     * @return a generator determined by seed and purpose only
     */
    public static SplittableRandom stream(long seed, String purpose) {
        return new SplittableRandom(derive(seed, purpose));
    }

    /**
     * @param seed    the run's seed
     * @param purpose name of the stream
     * @return a 64-bit seed determined by seed and purpose only
     */
    public static long derive(long seed, String purpose) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
