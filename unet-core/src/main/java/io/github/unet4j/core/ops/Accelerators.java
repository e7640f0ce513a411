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

    /**
     * Sets what the convolutions compute in, for the whole process (the accelerator is one per
     * process). Float32 is always possible: without an accelerator it is ND4J's own.
     *
     * @param precision FP32 or BF16
     * @throws IllegalArgumentException for BF16 without the oneDNN accelerator or on a CPU
     *                                  without bfloat16 dot products, saying which and what to do
     */
    public static void setPrecision(Precision precision) {
        ConvAccelerator fast = conv();
        if (fast == null) {
            if (precision != Precision.FP32) {
                throw new IllegalArgumentException("precision " + precision.label() + " needs the oneDNN convolutions "
                        + "(io.github.unet4j:unet4j-onednn on the class path, not -Dunet4j.accelerator=none): "
                        + "use precision fp32");
            }
            return;
        }
        String why = fast.unsupported(precision);
        if (why != null) {
            throw new IllegalArgumentException("precision " + precision.label() + " is not available: " + why
                    + "; use precision fp32");
        }
        fast.setPrecision(precision);
    }

    /**
     * The fastest precision this process can compute in that trains as well as float32 (the
     * README's job in bf16 lands within 0.01 pixel error and 0.03 Rand error of fp32): BF16 where
     * the oneDNN accelerator runs and the CPU has bfloat16 dot products, else FP32. What
     * {@code unet train --precision auto} chooses.
     *
     * @return BF16 or FP32
     */
    public static Precision fastest() {
        ConvAccelerator fast = conv();
        return fast != null && fast.unsupported(Precision.BF16) == null ? Precision.BF16 : Precision.FP32;
    }

    /** @return what the convolutions compute in now */
    public static Precision precision() {
        ConvAccelerator fast = conv();
        return fast == null ? Precision.FP32 : fast.precision();
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
