package io.github.unet4j.core.ops;

import io.github.unet4j.core.Padding;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A faster implementation of the op layer's stride-1 convolution for the cases it
 * {@link #handles}, found with {@link java.util.ServiceLoader} on the class path (the
 * {@code unet4j-onednn} module calls oneDNN directly). {@link NativeOps} asks it first and runs
 * ND4J's ops for everything else, so the layers, the arrays (NCHW, ND4J's) and the results do
 * not change, only the time.
 */
public interface ConvAccelerator {

    /**
     * @param x       the input
     * @param w       the kernel {@code [outC, inC, k, k]}
     * @param k       the kernel size
     * @param padding VALID or SAME
     * @return whether {@link #conv2d} can run this convolution (data type, layout, shapes)
     */
    boolean handles(INDArray x, INDArray w, int k, Padding padding);

    /**
     * y = conv(x, w) + b, as ND4J's {@code conv2d} with stride 1.
     *
     * @param x       {@code [N, inC, H, W]}, contiguous
     * @param w       {@code [outC, inC, k, k]}, contiguous
     * @param b       {@code [outC]}, or null
     * @param y       the output {@code [N, outC, H', W']}, contiguous, written whole
     * @param k       the kernel size
     * @param padding VALID or SAME
     */
    void conv2d(INDArray x, INDArray w, INDArray b, INDArray y, int k, Padding padding);

    /**
     * The backward of {@link #conv2d}: dL/dx, dL/dW and dL/db, each written whole (the caller
     * adds the parameter gradients into its parameters). Called for what {@link #handles} takes,
     * with {@code gradOut} contiguous.
     *
     * @param x       the forward's input {@code [N, inC, H, W]}
     * @param w       the kernel {@code [outC, inC, k, k]}
     * @param gradOut dL/dy {@code [N, outC, H', W']}
     * @param dx      dL/dx, shaped as x
     * @param dw      dL/dW, shaped as w
     * @param db      dL/db {@code [outC]}, or null without a bias
     * @param k       the kernel size
     * @param padding VALID or SAME
     */
    void conv2dBackward(INDArray x, INDArray w, INDArray gradOut, INDArray dx, INDArray dw, INDArray db, int k,
            Padding padding);

    /** @return one line for the runtime's description, e.g. "oneDNN 2.5.2 (avx512_core_bf16)" */
    String describe();
}
