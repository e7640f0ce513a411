package io.github.unet4j.core.ops;

/**
 * How the oneDNN accelerator computes the 3x3 convolutions (forward, dL/dx and dL/dW). Both
 * algorithms compute the same convolution in float32; they differ in time, rounding and scratch
 * memory (docs/performance.md, "Winograd"). Up-convolutions, 1x1 convolutions and convolutions
 * without an accelerator are always direct.
 */
public enum ConvAlgorithm {
    /** Each output the sum of its k x k x inC products (the default; ND4J's ops compute the same). */
    DIRECT("direct"),
    /**
     * Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, CVPR 2016) as oneDNN implements
     * it: input, kernel and output tiles are transformed so that each 4x4 tile of outputs takes 36
     * multiplications per channel pair instead of 144. Float32 only (not with
     * {@link Precision#BF16}); used for every 3x3 convolution oneDNN's Winograd takes (in this
     * network all of them, the one-channel first one included), the others stay direct. Its rounding error is larger than direct summation's (bounded in
     * {@code OneDnnConvolutionsTest} against a double-precision reference), and its transformed
     * tiles need more scratch memory.
     */
    WINOGRAD("winograd");

    private final String label;

    ConvAlgorithm(String label) {
        this.label = label;
    }

    /** @return the name the command line takes: direct or winograd */
    public String label() {
        return label;
    }

    /**
     * @param label direct or winograd (any case)
     * @return the algorithm
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static ConvAlgorithm parse(String label) {
        for (ConvAlgorithm a : values()) {
            if (a.label.equalsIgnoreCase(label)) {
                return a;
            }
        }
        throw new IllegalArgumentException("convolution algorithm '" + label + "' is not known: use direct or winograd");
    }
}
