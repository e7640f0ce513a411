package io.github.unet4j.core.layers;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.Tensors;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J custom ops the layers run on, with their integer arguments spelled out once.
 * Layout is always NCHW; weights are in PyTorch's layouts (wFormat 1): convolution
 * {@code [oC, iC, kH, kW]}, transposed convolution {@code [iC, oC, kH, kW]}.
 */
final class NativeOps {
    private static final int NCHW = 0;
    private static final int W_FORMAT_OIHW = 1;

    private NativeOps() {
    }

    private static int[] convArgs(int k, int stride, Padding padding) {
        return new int[] {k, k, stride, stride, 0, 0, 1, 1, padding == Padding.SAME ? 1 : 0, NCHW, W_FORMAT_OIHW};
    }

    /** Runs an op with its outputs from {@link Tensors#allocate} (reused buffers, see there). */
    static INDArray[] exec(String op, int[] iArgs, double[] tArgs, INDArray... inputs) {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder(op).addInputs(inputs).addIntegerArguments(iArgs);
        if (tArgs.length > 0) {
            b.addFloatingPointArguments(box(tArgs));
        }
        DynamicCustomOp custom = b.build();
        for (LongShapeDescriptor d : custom.calculateOutputShape()) {
            custom.addOutputArgument(Tensors.allocate(d.dataType(), d.getShape()));
        }
        return Nd4j.exec(custom);
    }

    /** Runs an op into the given outputs (which may be views: the banded layers pass row bands). */
    static void execInto(String op, int[] iArgs, INDArray[] inputs, INDArray... outputs) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(outputs).addIntegerArguments(iArgs).build());
    }

    /**
     * target += g, where either may be a strided view (a crop window or a band of rows of a larger
     * array). ND4J's pairwise ops walk a non-contiguous operand element by element through index
     * arithmetic, its assign does not: on a 16x216x216 window the add takes 3.8 ms in place and
     * 1.1 ms as copy to a contiguous temporary, add, copy back.
     */
    static void addInto(INDArray target, INDArray g) {
        if (contiguous(target) && contiguous(g)) {
            target.addi(g);
            return;
        }
        INDArray sum = Tensors.allocate(target.dataType(), target.shape()).assign(target);
        INDArray add = contiguous(g) ? g : Tensors.allocate(g.dataType(), g.shape()).assign(g);
        target.assign(sum.addi(add));
        Tensors.release(sum);
        if (add != g) {
            Tensors.release(add);
        }
    }

    private static boolean contiguous(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1;
    }

    /** @return the arrays that are not null, in order: an absent bias (b, db) drops out of the op's arguments */
    private static INDArray[] present(INDArray... arrays) {
        return Arrays.stream(arrays).filter(Objects::nonNull).toArray(INDArray[]::new);
    }

    /** Adds a _bp op's parameter gradients into the parameters (bias and db null without a bias). */
    static void accumulate(Parameter weight, Parameter bias, INDArray dw, INDArray db) {
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

    /** conv2d into out; x, out may be row bands of larger arrays. */
    static void conv2dInto(INDArray x, INDArray w, INDArray b, int k, Padding padding, INDArray out) {
        execInto("conv2d", convArgs(k, 1, padding), present(x, w, b), out);
    }

    /** conv2d_bp into {dx, dw, db} (db null without bias); x, gradOut, dx may be row bands. */
    static void conv2dBackwardInto(INDArray x, INDArray w, INDArray b, INDArray gradOut, int k, Padding padding,
            INDArray dx, INDArray dw, INDArray db) {
        execInto("conv2d_bp", convArgs(k, 1, padding), present(x, w, b, gradOut), present(dx, dw, db));
    }

    /** deconv2d into out; x, out may be row bands. */
    static void deconv2dInto(INDArray x, INDArray w, INDArray b, int k, INDArray out) {
        execInto("deconv2d", convArgs2(k), present(x, w, b), out);
    }

    /** deconv2d_bp into {dx, dw, db} (db null without bias); x, gradOut, dx may be row bands. */
    static void deconv2dBackwardInto(INDArray x, INDArray w, INDArray b, INDArray gradOut, int k, INDArray dx,
            INDArray dw, INDArray db) {
        execInto("deconv2d_bp", convArgs2(k), present(x, w, b, gradOut), present(dx, dw, db));
    }

    private static int[] convArgs2(int k) {
        return convArgs(k, k, Padding.VALID);
    }

    private static int[] poolArgs(int k) {
        return new int[] {k, k, k, k, 0, 0, 1, 1, 0, 0, NCHW};
    }

    /**
     * maxpool2d into out, by libnd4j's own loop rather than the oneDNN helper (see
     * {@link #execWithoutHelpers}).
     */
    static void maxPool2dInto(INDArray x, int k, INDArray out) {
        execWithoutHelpers("maxpool2d", poolArgs(k), new INDArray[] {x}, out);
    }

    /** maxpool2d_bp into dx, by libnd4j's own loop rather than the oneDNN helper. */
    static void maxPool2dBackwardInto(INDArray x, INDArray gradOut, int k, INDArray dx) {
        execWithoutHelpers("maxpool2d_bp", poolArgs(k), new INDArray[] {x, gradOut}, dx);
    }

    /**
     * Runs an op with platform helpers (oneDNN, cuDNN) off, so libnd4j's own loop runs it. For 2x2
     * pooling the oneDNN helper reorders input and output to its blocked layout and back, and
     * its backward recomputes the forward pooling for a workspace; the loop makes one pass.
     * Measured on the 16-channel network's four poolings (2 cores, AVX-512), forward and
     * backward: 5.8 + 16.7 ms in one call each on whole arrays against 13.1 + 27.9 ms with the
     * helper over row bands (as the layer ran before) and 9.7 + 22.8 ms with the helper in one
     * call. Over bands (strided views) the loop is slower than the helper, which is why
     * {@link MaxPool2d} is not banded; the loop has no temporaries to bound.
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
    static INDArray reluBackward(INDArray y, INDArray gradOut) {
        return reluBackwardInto(y, gradOut, Tensors.allocate(y.dataType(), y.shape()));
    }

    /**
     * dL/dx = step(y) * dL/dy into a given output (which may be y itself: both passes are
     * elementwise). Two vectorised passes instead of ND4J's {@code relu_bp}, which calls a
     * {@code std::function} per element: 1.2 ms against 4.3-4.6 ms on a 16x394x394 float array.
     * Where y = 0 the result is 0 * dL/dy, so a non-finite gradient there gives NaN instead of 0:
     * such a gradient means the step has already diverged.
     */
    static INDArray reluBackwardInto(INDArray y, INDArray gradOut, INDArray out) {
        Nd4j.exec(new Step(y, out, 0.0));
        return out.muli(gradOut);
    }

    private static final int[] BN_ARGS = {1, 1, 1}; // apply gamma, apply beta, channel axis 1

    /** batchnorm over the channel axis with the given statistics. */
    static INDArray batchNorm(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, double eps) {
        return exec("batchnorm", BN_ARGS, new double[] {eps}, x, mean, var, gamma, beta)[0];
    }

    /**
     * batchnorm_bp for statistics computed from this batch: returns {dx, dMean, dVar, dGamma, dBeta};
     * dx includes the paths through the batch mean and variance.
     */
    static INDArray[] batchNormBackward(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta,
            INDArray gradOut, double eps) {
        return exec("batchnorm_bp", BN_ARGS, new double[] {eps}, x, mean, var, gamma, beta, gradOut);
    }
}
