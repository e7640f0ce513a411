package io.github.unet4j.core.ops;

import io.github.unet4j.core.Padding;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A faster implementation of the op layer's stride-1 convolutions and up-convolutions, forward
 * and backward, for the cases it {@link #handles} (and {@link #handlesUpConvolution}), found with {@link java.util.ServiceLoader} on the class path (the
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

    /**
     * @param x the input
     * @param w the kernel {@code [inC, outC, k, k]}
     * @param k kernel size and stride
     * @return whether {@link #upConvolution} can run this up-convolution
     */
    boolean handlesUpConvolution(INDArray x, INDArray w, int k);

    /**
     * The paper's up-convolution: a transposed convolution with kernel and stride k, as ND4J's
     * {@code deconv2d}.
     *
     * @param x {@code [N, inC, H, W]}, contiguous
     * @param w {@code [inC, outC, k, k]}, contiguous
     * @param b {@code [outC]}, or null
     * @param y the output {@code [N, outC, kH, kW]}, contiguous, written whole
     * @param k kernel and stride
     */
    void upConvolution(INDArray x, INDArray w, INDArray b, INDArray y, int k);

    /**
     * The backward of {@link #upConvolution}, each gradient written whole (as
     * {@link #conv2dBackward}).
     *
     * @param x       the forward's input
     * @param w       the kernel {@code [inC, outC, k, k]}
     * @param gradOut dL/dy, contiguous
     * @param dx      dL/dx, shaped as x
     * @param dw      dL/dW, shaped as w
     * @param db      dL/db, or null without a bias
     * @param k       kernel and stride
     */
    void upConvolutionBackward(INDArray x, INDArray w, INDArray gradOut, INDArray dx, INDArray dw, INDArray db, int k);

    /**
     * @param precision a precision
     * @param algorithm an algorithm for the 3x3 convolutions
     * @return null if this accelerator can compute in that precision with that algorithm on this
     *         CPU, else why not (one line)
     */
    String unsupported(Precision precision, ConvAlgorithm algorithm);

    /**
     * Sets what the convolutions compute in from the next call on (see {@link Precision}).
     *
     * @param precision one that {@link #unsupported} accepts with the algorithm set
     */
    void setPrecision(Precision precision);

    /** @return what the convolutions compute in */
    Precision precision();

    /**
     * Sets how the 3x3 convolutions are computed from the next call on (see {@link ConvAlgorithm}).
     *
     * @param algorithm one that {@link #unsupported} accepts with the precision set
     */
    void setAlgorithm(ConvAlgorithm algorithm);

    /** @return how the 3x3 convolutions are computed */
    ConvAlgorithm algorithm();

    /** @return one line for the runtime's description, e.g. "oneDNN 2.5.2 (avx512_core_bf16)" */
    String describe();
}
