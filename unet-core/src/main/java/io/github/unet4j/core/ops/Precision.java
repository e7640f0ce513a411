package io.github.unet4j.core.ops;

/**
 * What the convolutions compute in. The arrays between layers, the parameters, their gradients,
 * the loss and the optimiser stay float32 (or double) either way.
 */
public enum Precision {
    /** Float32 throughout (the default). */
    FP32("fp32"),
    /**
     * Mixed precision: each convolution's and up-convolution's inputs (the activations or
     * gradients it reads and the weights) rounded to bfloat16, products summed and written in
     * float32; float32 master weights and gradients. Needs the oneDNN accelerator on a CPU with
     * bfloat16 dot products (avx512_bf16).
     */
    BF16("bf16");

    private final String label;

    Precision(String label) {
        this.label = label;
    }

    /** @return the name the command line takes: fp32 or bf16 */
    public String label() {
        return label;
    }

    /**
     * @param label fp32 or bf16 (any case)
     * @return the precision
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Precision parse(String label) {
        for (Precision p : values()) {
            if (p.label.equalsIgnoreCase(label) || p.name().equalsIgnoreCase(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision '" + label + "' is not known: use fp32 or bf16");
    }
}
