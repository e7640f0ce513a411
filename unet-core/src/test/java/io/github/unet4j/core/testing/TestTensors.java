package io.github.unet4j.core.testing;

import io.github.unet4j.core.Parameter;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded test tensors and comparisons between the float and double paths. */
public final class TestTensors {
    private TestTensors() {
    }

    /**
     * Uniform values in [-1, -0.1] U [0.1, 1]: away from the ReLU kink.
     *
     * @param seed  seed
     * @param dtype data type
     * @param shape shape
     * @return a c-ordered tensor
     */
    public static INDArray awayFromZero(long seed, DataType dtype, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[elements(shape)];
        for (int i = 0; i < v.length; i++) {
            double m = 0.1 + 0.9 * r.nextDouble();
            v[i] = r.nextBoolean() ? m : -m;
        }
        return Nd4j.createFromArray(v).reshape(shape).castTo(dtype);
    }

    /**
     * Distinct values (a random permutation of an evenly spaced grid in [-1, 1]): no ties for
     * max pooling.
     *
     * @param seed  seed
     * @param dtype data type
     * @param shape shape
     * @return a c-ordered tensor
     */
    public static INDArray distinct(long seed, DataType dtype, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[elements(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = -1 + 2.0 * (i + 0.5) / v.length;
        }
        for (int i = v.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Nd4j.createFromArray(v).reshape(shape).castTo(dtype);
    }

    /**
     * Gives biases and batch-norm shifts small non-zero values. A freshly initialised network
     * has zero biases, which puts every ReLU whose 3x3 input window is all zero exactly on its
     * kink, where finite differences and the analytic derivative legitimately disagree.
     *
     * @param params parameters of a network
     * @param seed   seed
     */
    public static void nonZeroBiases(List<Parameter> params, long seed) {
        for (Parameter p : params) {
            if (p.kind() == Parameter.Kind.BIAS || p.kind() == Parameter.Kind.SHIFT) {
                p.value().assign(awayFromZero(seed++, p.value().dataType(), p.shape()).muli(0.1));
            }
        }
    }

    /**
     * Copies parameter values between networks of the same structure (casting the type).
     *
     * @param from source parameters
     * @param to   target parameters, same names and shapes
     */
    public static void copyValues(List<Parameter> from, List<Parameter> to) {
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("parameter lists differ in size");
        }
        for (int i = 0; i < from.size(); i++) {
            Parameter a = from.get(i);
            Parameter b = to.get(i);
            if (!a.name().equals(b.name())) {
                throw new IllegalArgumentException(a.name() + " vs " + b.name());
            }
            b.value().assign(a.value().castTo(b.value().dataType()));
        }
    }

    /**
     * @param actual   e.g. the float result
     * @param expected e.g. the double result
     * @return {@code ||actual - expected||_2 / ||expected||_2}
     */
    public static double relativeNormError(INDArray actual, INDArray expected) {
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray d = actual.castTo(DataType.DOUBLE).sub(e);
        double norm = e.norm2Number().doubleValue();
        return d.norm2Number().doubleValue() / Math.max(norm, 1e-300);
    }

    private static int elements(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Math.toIntExact(n);
    }
}
