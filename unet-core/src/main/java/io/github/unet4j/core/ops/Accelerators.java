package io.github.unet4j.core.ops;

import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConvAccelerator} on the class path, looked up once, at the first convolution (after
 * ND4J has loaded its native build). System property {@code unet4j.accelerator=none} turns it
 * off; an accelerator that fails to load (its native library missing) is logged and skipped.
 */
public final class Accelerators {
    private static final Logger LOG = LoggerFactory.getLogger(Accelerators.class);

    private Accelerators() {
    }

    private static final class Holder {
        static final ConvAccelerator CONV = find();
    }

    /** @return the convolution accelerator in use, or null for ND4J's ops alone */
    public static ConvAccelerator conv() {
        return Holder.CONV;
    }

    private static ConvAccelerator find() {
        if ("none".equals(System.getProperty("unet4j.accelerator"))) {
            return null;
        }
        try {
            for (ConvAccelerator a : ServiceLoader.load(ConvAccelerator.class)) {
                LOG.debug("{}", a.describe());
                return a;
            }
        } catch (java.util.ServiceConfigurationError | LinkageError | RuntimeException e) {
            LOG.warn("convolution accelerator not loaded, ND4J's convolutions instead: {}", e.toString());
        }
        return null;
    }
}
