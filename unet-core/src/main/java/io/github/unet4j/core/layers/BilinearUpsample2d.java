package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.BufferPool;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bilinear up-sampling by 2 with half-pixel centres (PyTorch's {@code align_corners=False},
 * edges clamped).
 *
 * <p>Input {@code [N, C, H, W]}, output {@code [N, C, 2H, 2W]}. Interpolation is separable and
 * linear, so it is computed as {@code Y = Ah X Aw^T} per channel with small interpolation
 * matrices {@code Ah [2H, H]} and {@code Aw [2W, W]} (two matrix products, no pixel loops);
 * backward is {@code dX = Ah^T dY Aw}.
 */
public final class BilinearUpsample2d implements Layer {
    private final String name;
    private long[] inputShape;

    /** @param name path in the network */
    public BilinearUpsample2d(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long[] outputShape(long[] in) {
        if (in.length != 4 || in[2] < 1 || in[3] < 1) {
            throw new ShapeException("BilinearUpsample2d '" + name + "': got input shape " + Shapes.str(in)
                    + ", expected [N, C, H, W]");
        }
        return new long[] {in[0], in[1], 2 * in[2], 2 * in[3]};
    }

    /**
     * @param x {@code [N, C, H, W]}
     * @return {@code [N, C, 2H, 2W]}
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        long[] out = outputShape(x.shape());
        inputShape = mode == Mode.TRAIN ? x.shape() : null;
        INDArray ah = interpolation(out[2], x.size(2), x.dataType());
        INDArray aw = interpolation(out[3], x.size(3), x.dataType());
        return separable(x, ah, aw);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (inputShape == null) {
            throw new IllegalStateException("BilinearUpsample2d '" + name
                    + "': backward called without a forward in Mode.TRAIN before it");
        }
        INDArray ah = interpolation(gradOut.size(2), inputShape[2], gradOut.dataType());
        INDArray aw = interpolation(gradOut.size(3), inputShape[3], gradOut.dataType());
        return separable(gradOut, ah.transpose(), aw.transpose());
    }

    /** Backward reads only the input's shape. */
    @Override
    public boolean cachesInput() {
        return false;
    }

    /** {@code Y[n, c] = mh X[n, c] mw^T} for mh {@code [H', H]}, mw {@code [W', W]}; frees its temporaries. */
    private static INDArray separable(INDArray x, INDArray mh, INDArray mw) {
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        long h2 = mh.size(0);
        long w2 = mw.size(0);
        // Along W: [N*C*H, W] x [W, W'].
        INDArray xc = x.dup('c');
        INDArray t = xc.reshape('c', n * c * h, w).mmul(mw.transpose());
        BufferPool.release(xc);
        // Along H: bring H to the front, [H, N*C*W'], then [H', H] x [H, N*C*W'].
        INDArray th = t.reshape('c', n * c, h, w2).permute(1, 0, 2).dup('c');
        BufferPool.release(t);
        INDArray m = mh.mmul(th.reshape('c', h, n * c * w2));
        BufferPool.release(th);
        INDArray y = m.reshape('c', h2, n * c, w2).permute(1, 0, 2).dup('c');
        BufferPool.release(m);
        return y.reshape('c', n, c, h2, w2);
    }

    /** Row i holds the weights of the two source pixels of output pixel i. */
    static INDArray interpolation(long outSize, long inSize, DataType dtype) {
        double[][] a = new double[(int) outSize][(int) inSize];
        double scale = (double) inSize / outSize;
        for (int i = 0; i < outSize; i++) {
            double src = Math.max((i + 0.5) * scale - 0.5, 0);
            int i0 = (int) Math.floor(src);
            int i1 = (int) Math.min(i0 + 1, inSize - 1);
            double l = src - i0;
            a[i][i0] += 1 - l;
            a[i][i1] += l;
        }
        return Nd4j.create(a).castTo(dtype);
    }
}
