package io.github.unet4j.core.layers;

import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.ops.NativeOps;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation over the channel axis (Ioffe and Szegedy), as in PyTorch's BatchNorm2d.
 *
 * <p>Input and output {@code [N, C, H, W]}; gamma, beta, running mean and running variance
 * {@code [C]}. In training, each channel is normalised with the biased mean and variance of
 * the batch over N, H, W, and the running averages move by {@code momentum} towards them (the
 * unbiased variance, as PyTorch does). In inference the running averages are used.
 */
public final class BatchNorm2d implements Layer {
    /** PyTorch's defaults. */
    public static final double DEFAULT_EPS = 1e-5;
    /** Weight of the new batch in the running averages. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    private final String name;
    private final int channels;
    private final double eps;
    private final double momentum;
    private final Parameter gamma;
    private final Parameter beta;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private INDArray input;
    private INDArray batchMean;
    private INDArray batchVar;

    /**
     * @param name     path in the network
     * @param channels C
     * @param dtype    data type of parameters and statistics
     */
    public BatchNorm2d(String name, int channels, DataType dtype) {
        this.name = name;
        this.channels = channels;
        this.eps = DEFAULT_EPS;
        this.momentum = DEFAULT_MOMENTUM;
        this.gamma = new Parameter(name + ".weight", Parameter.Kind.SCALE, 0, dtype, channels);
        this.beta = new Parameter(name + ".bias", Parameter.Kind.SHIFT, 0, dtype, channels);
        this.gamma.value().assign(1);
        this.runningMean = Nd4j.zeros(dtype, channels);
        this.runningVar = Nd4j.ones(dtype, channels);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return epsilon added to the variance */
    public double eps() {
        return eps;
    }

    /** @return the scale, {@code [C]} */
    public Parameter gamma() {
        return gamma;
    }

    /** @return the shift, {@code [C]} */
    public Parameter beta() {
        return beta;
    }

    /** @return the running mean used in inference, {@code [C]} (the live array) */
    public INDArray runningMean() {
        return runningMean;
    }

    /** @return the running (unbiased) variance used in inference, {@code [C]} (the live array) */
    public INDArray runningVar() {
        return runningVar;
    }

    @Override
    public long[] outputShape(long[] in) {
        Shapes.requireNchw("BatchNorm2d '" + name + "'", in, channels);
        return in.clone();
    }

    /**
     * @param x {@code [N, C, H, W]}
     * @return {@code [N, C, H, W]}
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        outputShape(x.shape());
        if (mode == Mode.INFER) {
            input = null;
            return NativeOps.batchNorm(x, runningMean, runningVar, gamma.value(), beta.value(), eps);
        }
        INDArray mean = x.mean(0, 2, 3);
        INDArray var = x.var(false, 0, 2, 3);
        long n = x.length() / channels;
        double unbias = n > 1 ? (double) n / (n - 1) : 1.0;
        runningMean.muli(1 - momentum).addi(mean.mul(momentum));
        runningVar.muli(1 - momentum).addi(var.mul(momentum * unbias));
        clearCache();
        input = x;
        batchMean = mean;
        batchVar = var;
        return NativeOps.batchNorm(x, mean, var, gamma.value(), beta.value(), eps);
    }

    @Override
    public void clearCache() {
        BufferPool.release(batchMean);
        BufferPool.release(batchVar);
        input = null;
        batchMean = null;
        batchVar = null;
    }

    /** Back through batch statistics: dx includes the paths through the batch mean and variance. */
    @Override
    public INDArray backward(INDArray gradOut) {
        INDArray x = Cache.require(input, "BatchNorm2d '" + name + "'");
        INDArray[] g = NativeOps.batchNormBackward(x, batchMean, batchVar, gamma.value(), beta.value(), gradOut, eps);
        gamma.accumulate(g[3]);
        beta.accumulate(g[4]);
        for (int i = 1; i < g.length; i++) {
            BufferPool.release(g[i]);
        }
        clearCache();
        return g[0];
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    @Override
    public List<Buffer> buffers() {
        return List.of(new Buffer(name + ".running_mean", runningMean), new Buffer(name + ".running_var", runningVar));
    }
}
