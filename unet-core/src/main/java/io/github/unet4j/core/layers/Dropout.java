package io.github.unet4j.core.layers;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.ShapeException;
import io.github.unet4j.core.Shapes;
import io.github.unet4j.core.BufferPool;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the rest are
 * scaled by 1/(1-p), so inference is the identity. The mask comes from the layer's own seeded
 * generator, so a run is reproducible.
 */
public final class Dropout implements Layer {
    private final String name;
    private final double p;
    private Random rng;
    private INDArray mask;

    /**
     * @param name path in the network
     * @param p    drop probability in [0, 1)
     * @param seed seed of the mask generator
     */
    public Dropout(String name, double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout '" + name + "': p must be in [0, 1), got " + p);
        }
        this.name = name;
        this.p = p;
        reseed(seed);
    }

    /**
     * Restarts the mask generator.
     *
     * @param seed new seed
     */
    public void reseed(long seed) {
        // A new native generator allocates and fills a large state buffer: reuse the one we have.
        if (rng == null) {
            rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        } else {
            rng.setSeed(seed);
        }
    }

    /** @return the drop probability */
    public double p() {
        return p;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long[] outputShape(long[] in) {
        if (in.length == 0) {
            throw new ShapeException("Dropout '" + name + "': got a scalar shape " + Shapes.str(in));
        }
        return in.clone();
    }

    /**
     * @param x any shape, e.g. {@code [N, C, H, W]}
     * @return same shape
     */
    @Override
    public INDArray forward(INDArray x, Mode mode) {
        clearCache();
        if (mode == Mode.INFER || p == 0) {
            return x;
        }
        INDArray u = Nd4j.rand(rng, x.shape());
        INDArray uCast = u.castTo(x.dataType());
        INDArray keep = uCast.gte(p);
        mask = keep.castTo(x.dataType()).muli(1.0 / (1.0 - p));
        BufferPool.release(uCast, u);
        BufferPool.release(u);
        BufferPool.release(keep, mask);
        return x.mul(mask);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (p == 0) {
            return gradOut;
        }
        INDArray dx = gradOut.mul(Cache.require(mask, "Dropout '" + name + "'"));
        clearCache();
        return dx;
    }

    /** Backward reads only the mask. */
    @Override
    public boolean cachesInput() {
        return false;
    }

    /** A second forward would draw another mask: a block with dropout is kept, not recomputed. */
    @Override
    public boolean recomputable() {
        return false;
    }

    @Override
    public void clearCache() {
        BufferPool.release(mask);
        mask = null;
    }
}
