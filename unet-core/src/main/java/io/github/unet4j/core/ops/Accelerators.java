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
        String why = fast.unsupported(precision, fast.algorithm());
        if (why != null) {
            throw new IllegalArgumentException("precision " + precision.label() + " is not available: " + why
                    + "; use precision fp32");
        }
        fast.setPrecision(precision);
    }

    /**
     * The fastest precision for direct convolutions that trains as well as float32 (the README's
     * job in bf16 lands within 0.01 pixel error and 0.03 Rand error of fp32): BF16 where the
     * oneDNN accelerator runs and the CPU has bfloat16 dot products, else FP32. {@code unet train
     * --precision auto --conv-algorithm auto} takes it ({@link #choose}).
     *
     * @return BF16 or FP32
     */
    public static Precision fastest() {
        ConvAccelerator fast = conv();
        return fast != null && fast.unsupported(Precision.BF16, ConvAlgorithm.DIRECT) == null ? Precision.BF16 : Precision.FP32;
    }

    /**
     * Sets how the 3x3 convolutions are computed, for the whole process. Direct is always
     * possible: without an accelerator it is ND4J's own.
     *
     * @param algorithm DIRECT or WINOGRAD
     * @throws IllegalArgumentException for WINOGRAD without the oneDNN accelerator or in bf16,
     *                                  saying which and what to do
     */
    public static void setAlgorithm(ConvAlgorithm algorithm) {
        ConvAccelerator fast = conv();
        if (fast == null) {
            if (algorithm != ConvAlgorithm.DIRECT) {
                throw new IllegalArgumentException("convolution algorithm " + algorithm.label() + " needs the oneDNN "
                        + "convolutions (io.github.unet4j:unet4j-onednn on the class path, not "
                        + "-Dunet4j.accelerator=none): use algorithm direct");
            }
            return;
        }
        String why = fast.unsupported(fast.precision(), algorithm);
        if (why != null) {
            throw new IllegalArgumentException("convolution algorithm " + algorithm.label() + " is not available: "
                    + why + "; use algorithm direct");
        }
        fast.setAlgorithm(algorithm);
    }

    /**
     * The faster algorithm for the 3x3 convolutions in a precision: Winograd where the oneDNN
     * accelerator runs and has it for that precision (float32), else direct (measured against
     * both in docs/performance.md, "Winograd").
     *
     * @param precision the precision the convolutions will compute in
     * @return WINOGRAD or DIRECT
     */
    public static ConvAlgorithm fastestAlgorithm(Precision precision) {
        ConvAccelerator fast = conv();
        return fast != null && fast.unsupported(precision, ConvAlgorithm.WINOGRAD) == null ? ConvAlgorithm.WINOGRAD
                : ConvAlgorithm.DIRECT;
    }

    /**
     * A precision and an algorithm for the convolutions, as {@link #choose} picks them and
     * {@link #set} sets them.
     *
     * @param precision what the convolutions compute in
     * @param algorithm how the 3x3 convolutions are computed
     */
    public record Choice(Precision precision, ConvAlgorithm algorithm) {
        /** Both are required. */
        public Choice {
            java.util.Objects.requireNonNull(precision, "precision");
            java.util.Objects.requireNonNull(algorithm, "algorithm");
        }
    }

    /**
     * Fills in what the caller left to the library ({@code --precision auto --conv-algorithm auto}):
     * with both open, {@link #fastest()} (bf16 where the CPU has avx512_bf16) in
     * {@link #fastestAlgorithm} for it (direct in bf16; Winograd in fp32 where offered), because
     * bf16 direct trained as fast as fp32 Winograd or faster in every measurement on such CPUs and
     * as accurately (docs/performance.md); with the algorithm given, Winograd in fp32 and direct in
     * {@link #fastest()}; with the precision given, {@link #fastestAlgorithm} for it. What is given
     * is kept as given ({@link #set} refuses it where it is not available).
     *
     * @param precision a precision, or null to choose one
     * @param algorithm an algorithm, or null to choose one
     * @return the choice
     */
    public static Choice choose(Precision precision, ConvAlgorithm algorithm) {
        Precision p = precision;
        if (p == null) {
            p = algorithm == ConvAlgorithm.WINOGRAD ? Precision.FP32 : fastest();
        }
        return new Choice(p, algorithm == null ? fastestAlgorithm(p) : algorithm);
    }

    /**
     * Sets both, whatever an earlier setting in this process was (precision and algorithm are
     * checked as a pair: bf16 with Winograd is refused in either order).
     *
     * @param choice what to set
     * @throws IllegalArgumentException as {@link #setPrecision} (message starting "precision")
     *                                  or {@link #setAlgorithm} (starting "convolution algorithm");
     *                                  then the algorithm is direct and the precision unchanged
     *                                  or set
     */
    public static void set(Choice choice) {
        setAlgorithm(ConvAlgorithm.DIRECT);
        setPrecision(choice.precision());
        setAlgorithm(choice.algorithm());
    }

    /** @return how the 3x3 convolutions are computed now */
    public static ConvAlgorithm algorithm() {
        ConvAccelerator fast = conv();
        return fast == null ? ConvAlgorithm.DIRECT : fast.algorithm();
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
