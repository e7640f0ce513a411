package io.github.unet4j.train.loss;

import io.github.unet4j.core.testing.GradientCheck;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded inputs for the loss tests and a gradient check of a loss against central differences. */
final class LossFixtures {
    private LossFixtures() {
    }

    /** Logits uniform in [-3, 3]. */
    static INDArray logits(long seed, DataType dtype, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = 6 * r.nextDouble() - 3;
        }
        return Nd4j.createFromArray(v).reshape(shape).castTo(dtype);
    }

    /** Integer class ids in 0..k-1, as INT. */
    static INDArray classIds(long seed, int k, long n, long h, long w) {
        Random r = new Random(seed);
        int[] v = new int[Math.toIntExact(n * h * w)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(k);
        }
        return Nd4j.createFromArray(v).reshape(n, h, w);
    }

    /** Weights uniform in [0.5, 5]. */
    static INDArray weights(long seed, long n, long h, long w) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(n * h * w)];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.5 + 4.5 * r.nextDouble();
        }
        return Nd4j.createFromArray(v).reshape(n, h, w);
    }

    /**
     * Checks {@code loss.compute(...).gradient()} against central differences of the loss value,
     * using unet-core's checker (its scalar is {@code value * R} for a random R, whose gradient
     * is the loss gradient times R).
     */
    static GradientCheck.Result check(Loss loss, INDArray logits, INDArray target, INDArray weights) {
        LossResult[] last = new LossResult[1];
        return new GradientCheck().check(logits, z -> {
            last[0] = loss.compute(z, target, weights);
            return Nd4j.createFromArray(last[0].value());
        }, g -> last[0].gradient().mul(g.getDouble(0)), List.of());
    }
}
