package io.github.unet4j.core.ops;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.BufferPool;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The op layer: the ND4J custom ops the layers run on, with their integer arguments spelled out
 * once, and how they are run fast (over row bands, through contiguous scratch arrays, with or
 * without platform helpers), so that a layer's forward and backward read like its maths.
 * Layout is always NCHW; weights are in PyTorch's layouts (wFormat 1): convolution
 * {@code [oC, iC, kH, kW]}, transposed convolution {@code [iC, oC, kH, kW]}. Outputs come from
 * {@link BufferPool#allocate}; temporaries are freed here. A {@link ConvAccelerator} on the class
 * path ({@link Accelerators}) runs the forward convolutions it handles.
 */
public final class NativeOps {
    private static final int NCHW = 0;
    private static final int W_FORMAT_OIHW = 1;

    private NativeOps() {
    }

    private static int[] convArgs(int k, int stride, Padding padding) {
        return new int[] {k, k, stride, stride, 0, 0, 1, 1, padding == Padding.SAME ? 1 : 0, NCHW, W_FORMAT_OIHW};
    }

    /** Runs an op with its outputs from {@link BufferPool#allocate} (reused buffers, see there). */
    public static INDArray[] exec(String op, int[] iArgs, double[] tArgs, INDArray... inputs) {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder(op).addInputs(inputs).addIntegerArguments(iArgs);
        if (tArgs.length > 0) {
            b.addFloatingPointArguments(box(tArgs));
        }
        DynamicCustomOp custom = b.build();
        for (LongShapeDescriptor d : custom.calculateOutputShape()) {
            custom.addOutputArgument(BufferPool.allocate(d.dataType(), d.getShape()));
        }
        return Nd4j.exec(custom);
    }

    /** Runs an op into the given outputs (which may be views: the banded layers pass row bands). */
    private static void execInto(String op, int[] iArgs, INDArray[] inputs, INDArray... outputs) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(outputs).addIntegerArguments(iArgs).build());
    }

    /**
     * target += g, where either may be a strided view (a crop window or a band of rows of a larger
     * array). ND4J's pairwise ops walk a non-contiguous operand element by element through index
     * arithmetic, its assign does not, so a view is copied out, added and copied back (about 3x
     * faster; docs/performance.md, "Measurements behind the code").
     */
    public static void addInto(INDArray target, INDArray g) {
        if (contiguous(target) && contiguous(g)) {
            target.addi(g);
            return;
        }
        INDArray sum = BufferPool.allocate(target.dataType(), target.shape()).assign(target);
        INDArray add = contiguous(g) ? g : BufferPool.allocate(g.dataType(), g.shape()).assign(g);
        target.assign(sum.addi(add));
        BufferPool.release(sum);
        if (add != g) {
            BufferPool.release(add);
        }
    }

    private static boolean contiguous(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1;
    }

    /**
     * gradOut as the accelerator takes it: itself, or a contiguous copy of a strided view (the
     * up-convolution's gradient is a channel range of the concatenation's, strided for a batch of
     * more than one).
     */
    private static INDArray contiguousCopy(INDArray gradOut) {
        return contiguous(gradOut) ? gradOut : BufferPool.allocate(gradOut.dataType(), gradOut.shape()).assign(gradOut);
    }

    /** Adds an accelerated backward's parameter gradients into the parameters and frees its scratch; returns dx. */
    private static INDArray acceleratedBackwardDone(Parameter weight, Parameter bias, INDArray gradOut, INDArray g,
            INDArray dx, INDArray dw, INDArray db) {
        accumulate(weight, bias, dw, db);
        BufferPool.release(dw);
        BufferPool.release(db);
        if (g != gradOut) {
            BufferPool.release(g);
        }
        return dx;
    }

    /** @return the arrays that are not null, in order: an absent bias (b, db) drops out of the op's arguments */
    private static INDArray[] present(INDArray... arrays) {
        return Arrays.stream(arrays).filter(Objects::nonNull).toArray(INDArray[]::new);
    }

    /** Adds a _bp op's parameter gradients into the parameters (bias and db null without a bias). */
    private static void accumulate(Parameter weight, Parameter bias, INDArray dw, INDArray db) {
        weight.accumulate(dw);
        if (bias != null) {
            bias.accumulate(db);
        }
    }

    private static Double[] box(double[] a) {
        Double[] r = new Double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

    /**
     * A k x k convolution with stride 1: VALID ones over bands of output rows
     * ({@link RowBands}), SAME ones in one call, as their zero padding of the top and bottom
     * rows cannot be split.
     *
     * @param x       {@code [N, inC, H, W]}
     * @param w       {@code [outC, inC, k, k]}
     * @param b       {@code [outC]}, or null
     * @param k       the kernel size
     * @param padding VALID or SAME
     * @return {@code [N, outC, H', W']}, {@code H' = H - k + 1} (VALID) or H (SAME)
     */
    public static INDArray conv2d(INDArray x, INDArray w, INDArray b, int k, Padding padding) {
        long[] outShape = convOutput(x.shape(), w.size(0), k, padding);
        INDArray y = BufferPool.allocate(x.dataType(), outShape);
        ConvAccelerator fast = Accelerators.conv();
        if (fast != null && fast.handles(x, w, k, padding)) {
            fast.conv2d(x, w, b, y, k, padding); // whole: no im2col scratch to bound
            return y;
        }
        for (RowBands.Band band : convBands(x.shape(), outShape, w, padding)) {
            execInto("conv2d", convArgs(k, 1, padding), present(convInputRows(x, band, k), w, b),
                    RowBands.rows(y, band.from(), band.to()));
        }
        return y;
    }

    /**
     * The backward of {@link #conv2d}: on the {@link ConvAccelerator} if it takes the shapes, else
     * over the same bands as the forward, adding dL/dW and dL/db into the
     * parameters' gradients.
     *
     * <p>With several bands, each band's input gradient is computed into a contiguous scratch
     * array and then copied into its rows of dx: {@code conv2d_bp} writes a row band of a larger
     * array (a strided view) 2-2.5x slower than a contiguous one, as it first zero-fills it with
     * a strided scalar op (docs/performance.md). The input rows of neighbouring bands overlap by
     * k - 1, so a band's first k - 1 rows are added to what the previous band left there.
     *
     * @param x       the forward's input
     * @param gradOut dL/dOutput
     * @param weight  the kernel, whose gradient is added into
     * @param bias    the bias, or null
     * @param k       the kernel size
     * @param padding VALID or SAME
     * @return dL/dx
     */
    public static INDArray conv2dBackward(INDArray x, INDArray gradOut, Parameter weight, Parameter bias, int k,
            Padding padding) {
        INDArray w = weight.value();
        INDArray b = bias == null ? null : bias.value();
        INDArray dx = BufferPool.allocate(x.dataType(), x.shape());
        INDArray dw = BufferPool.allocate(w.dataType(), w.shape());
        INDArray db = b == null ? null : BufferPool.allocate(b.dataType(), b.shape());
        ConvAccelerator fast = Accelerators.conv();
        if (fast != null && fast.handles(x, w, k, padding)) {
            INDArray g = contiguousCopy(gradOut);
            fast.conv2dBackward(x, w, g, dx, dw, db, k, padding);
            return acceleratedBackwardDone(weight, bias, gradOut, g, dx, dw, db);
        }
        List<RowBands.Band> bands = convBands(x.shape(), gradOut.shape(), w, padding);
        INDArray scratch = bands.size() > 1 ? RowBands.scratch(x, bands, k - 1) : null;
        for (RowBands.Band band : bands) {
            INDArray xRows = convInputRows(x, band, k);
            INDArray dxRows = scratch == null ? dx : RowBands.contiguous(scratch, xRows.shape());
            execInto("conv2d_bp", convArgs(k, 1, padding), present(xRows, w, b,
                    RowBands.rows(gradOut, band.from(), band.to())), present(dxRows, dw, db));
            if (scratch != null) {
                long shared = band.first() ? 0 : k - 1;
                long rows = xRows.size(2);
                if (shared > 0) {
                    addInto(RowBands.rows(dx, band.from(), band.from() + shared), RowBands.rows(dxRows, 0, shared));
                }
                RowBands.rows(dx, band.from() + shared, band.from() + rows).assign(RowBands.rows(dxRows, shared, rows));
            }
            accumulate(weight, bias, dw, db);
        }
        BufferPool.release(scratch);
        BufferPool.release(dw);
        BufferPool.release(db);
        return dx;
    }

    private static long[] convOutput(long[] in, long outChannels, int k, Padding padding) {
        long shrink = padding == Padding.SAME ? 0 : k - 1;
        return new long[] {in[0], outChannels, in[2] - shrink, in[3] - shrink};
    }

    private static List<RowBands.Band> convBands(long[] in, long[] out, INDArray w, Padding padding) {
        int width = w.dataType().width();
        long bytesPerRow = in[0] * (in[1] * in[3] + out[1] * out[3]) * width;
        return padding == Padding.VALID ? RowBands.of(out[2], bytesPerRow, w.length() * width)
                : List.of(new RowBands.Band(0, out[2]));
    }

    /** The input rows a band of output rows reads: k - 1 more (all of them for SAME's single band). */
    private static INDArray convInputRows(INDArray x, RowBands.Band band, int k) {
        return RowBands.rows(x, band.from(), Math.min(x.size(2), band.to() + k - 1));
    }

    /**
     * A transposed convolution with kernel and stride k (the paper's 2x2 up-convolution), over
     * bands of input rows: input rows {@code [r, e)} make output rows {@code [kr, ke)}, so bands
     * do not overlap.
     *
     * @param x {@code [N, inC, H, W]}
     * @param w {@code [inC, outC, k, k]}
     * @param b {@code [outC]}, or null
     * @param k kernel and stride
     * @return {@code [N, outC, kH, kW]}
     */
    public static INDArray deconv2d(INDArray x, INDArray w, INDArray b, int k) {
        long[] outShape = {x.size(0), w.size(1), x.size(2) * k, x.size(3) * k};
        INDArray y = BufferPool.allocate(x.dataType(), outShape);
        ConvAccelerator fast = Accelerators.conv();
        if (fast != null && fast.handlesUpConvolution(x, w, k)) {
            fast.upConvolution(x, w, b, y, k);
            return y;
        }
        for (RowBands.Band band : deconvBands(x.shape(), outShape, w, k)) {
            execInto("deconv2d", convArgs(k, k, Padding.VALID), present(RowBands.rows(x, band.from(), band.to()), w, b),
                    RowBands.rows(y, band.from() * k, band.to() * k));
        }
        return y;
    }

    /**
     * The backward of {@link #deconv2d}, adding dL/dW and dL/db into the parameters' gradients.
     *
     * @param x       the forward's input
     * @param gradOut dL/dOutput
     * @param weight  the kernel
     * @param bias    the bias, or null
     * @param k       kernel and stride
     * @return dL/dx
     */
    public static INDArray deconv2dBackward(INDArray x, INDArray gradOut, Parameter weight, Parameter bias, int k) {
        INDArray w = weight.value();
        INDArray b = bias == null ? null : bias.value();
        INDArray dx = BufferPool.allocate(x.dataType(), x.shape());
        INDArray dw = BufferPool.allocate(w.dataType(), w.shape());
        INDArray db = b == null ? null : BufferPool.allocate(b.dataType(), b.shape());
        ConvAccelerator fast = Accelerators.conv();
        if (fast != null && fast.handlesUpConvolution(x, w, k)) {
            INDArray g = contiguousCopy(gradOut);
            fast.upConvolutionBackward(x, w, g, dx, dw, db, k);
            return acceleratedBackwardDone(weight, bias, gradOut, g, dx, dw, db);
        }
        for (RowBands.Band band : deconvBands(x.shape(), gradOut.shape(), w, k)) {
            execInto("deconv2d_bp", convArgs(k, k, Padding.VALID), present(RowBands.rows(x, band.from(), band.to()), w,
                    b, RowBands.rows(gradOut, band.from() * k, band.to() * k)),
                    present(RowBands.rows(dx, band.from(), band.to()), dw, db));
            accumulate(weight, bias, dw, db);
        }
        BufferPool.release(dw);
        BufferPool.release(db);
        return dx;
    }

    /** Bands of input rows; bytes per input row count the k output rows it makes. */
    private static List<RowBands.Band> deconvBands(long[] in, long[] out, INDArray w, int k) {
        int width = w.dataType().width();
        long bytesPerRow = in[0] * (in[1] * in[3] + k * out[1] * out[3]) * width;
        return RowBands.of(in[2], bytesPerRow, w.length() * width);
    }

    private static int[] poolArgs(int k) {
        return new int[] {k, k, k, k, 0, 0, 1, 1, 0, 0, NCHW};
    }

    /**
     * maxpool2d into out, by libnd4j's own loop rather than the oneDNN helper (see
     * {@link #execWithoutHelpers}).
     */
    public static void maxPool2dInto(INDArray x, int k, INDArray out) {
        execWithoutHelpers("maxpool2d", poolArgs(k), new INDArray[] {x}, out);
    }

    /** maxpool2d_bp into dx, by libnd4j's own loop rather than the oneDNN helper. */
    public static void maxPool2dBackwardInto(INDArray x, INDArray gradOut, int k, INDArray dx) {
        execWithoutHelpers("maxpool2d_bp", poolArgs(k), new INDArray[] {x, gradOut}, dx);
    }

    /**
     * Runs an op with platform helpers (oneDNN, cuDNN) off, so libnd4j's own loop runs it. For 2x2
     * pooling the oneDNN helper reorders input and output to its blocked layout and back, and
     * its backward recomputes the forward pooling for a workspace; the loop makes one pass.
     * The loop is about twice as fast on the 16-channel network's poolings (docs/performance.md,
     * "Measurements behind the code"). Over bands (strided views) the loop is slower than the
     * helper, which is why
     * {@code MaxPool2d} is not banded; the loop has no temporaries to bound.
     */
    private static void execWithoutHelpers(String op, int[] iArgs, INDArray[] inputs, INDArray output) {
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.setInputArrays(inputs);
            context.setOutputArrays(output);
            context.setIArguments(Arrays.stream(iArgs).asLongStream().toArray());
            context.allowHelpers(false);
            Nd4j.exec(DynamicCustomOp.builder(op).build(), context);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // only OpContext.close declares one
            throw new IllegalStateException(op + ": could not free its op context: " + e.getMessage(), e);
        }
    }

    /** dL/dx = dL/dy where y = relu(x) &gt; 0, else 0, into a new array. */
    public static INDArray reluBackward(INDArray y, INDArray gradOut) {
        return reluBackwardInto(y, gradOut, BufferPool.allocate(y.dataType(), y.shape()));
    }

    /**
     * dL/dx = step(y) * dL/dy into a given output (which may be y itself: both passes are
     * elementwise). Two vectorised passes instead of ND4J's {@code relu_bp}, which calls a
     * {@code std::function} per element (about 4x slower; docs/performance.md).
     * Where y = 0 the result is 0 * dL/dy, so a non-finite gradient there gives NaN instead of 0:
     * such a gradient means the step has already diverged.
     */
    public static INDArray reluBackwardInto(INDArray y, INDArray gradOut, INDArray out) {
        Nd4j.exec(new Step(y, out, 0.0));
        return out.muli(gradOut);
    }

    private static final int[] BN_ARGS = {1, 1, 1}; // apply gamma, apply beta, channel axis 1

    /** batchnorm over the channel axis with the given statistics. */
    public static INDArray batchNorm(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, double eps) {
        return exec("batchnorm", BN_ARGS, new double[] {eps}, x, mean, var, gamma, beta)[0];
    }

    /**
     * batchnorm_bp for statistics computed from this batch: returns {dx, dMean, dVar, dGamma, dBeta};
     * dx includes the paths through the batch mean and variance.
     */
    public static INDArray[] batchNormBackward(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta,
            INDArray gradOut, double eps) {
        return exec("batchnorm_bp", BN_ARGS, new double[] {eps}, x, mean, var, gamma, beta, gradOut);
    }
}
