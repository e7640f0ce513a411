package io.github.unet4j.core.testing;

import io.github.unet4j.core.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite-difference gradient check in double precision.
 *
 * <p>The scalar checked is {@code L = sum(forward(inputs) * R)} with a fixed random R, so
 * dL/dOutput = R is handed to backward. Every input and parameter element (or a random sample of
 * {@code maxPerTensor} of them) is perturbed by +-eps; the relative error
 * {@code |a - n| / max(|a|, |n|)} is taken where {@code |a - n| > absTolerance}.
 */
public final class GradientCheck {

    /**
     * @param maxRelativeError largest relative error seen
     * @param worst            where it was seen, with both values
     * @param checked          how many elements were compared
     */
    public record Result(double maxRelativeError, String worst, int checked) {
        /** @return a one-line report */
        @Override
        public String toString() {
            return "max relative error " + maxRelativeError + " over " + checked + " elements; worst: " + worst;
        }
    }

    /** The function under test: forward and backward of one training pass. */
    public interface Function2 {
        /**
         * @param inputs the inputs
         * @return the output (a training forward, caching for backward)
         */
        INDArray forward(List<INDArray> inputs);

        /**
         * @param gradOut dL/dOutput
         * @return dL/dInput for each input, in order
         */
        List<INDArray> backward(INDArray gradOut);
    }

    private double eps = 1e-6;
    /**
     * Central differences in double resolve a derivative only to about {@code ulp(L) / eps}: with
     * L ~ 10 and eps = 1e-6 that is ~1e-9, so smaller disagreements are rounding, not errors.
     */
    private double absTolerance = 1e-8;
    private int maxPerTensor = Integer.MAX_VALUE;
    private long seed = 12345;

    /** @param v perturbation @return this */
    public GradientCheck eps(double v) {
        this.eps = v;
        return this;
    }

    /** @param v absolute difference below which elements agree @return this */
    public GradientCheck absTolerance(double v) {
        this.absTolerance = v;
        return this;
    }

    /** @param v elements sampled per tensor @return this */
    public GradientCheck maxPerTensor(int v) {
        this.maxPerTensor = v;
        return this;
    }

    /**
     * Checks a single-input function.
     *
     * @param input    the input, DOUBLE
     * @param forward  training forward
     * @param backward backward returning dL/dInput
     * @param params   parameters whose gradients backward accumulates
     * @return the result
     */
    public Result check(INDArray input, Function<INDArray, INDArray> forward, Function<INDArray, INDArray> backward,
            List<Parameter> params) {
        return check(List.of(input), new Function2() {
            @Override
            public INDArray forward(List<INDArray> inputs) {
                return forward.apply(inputs.get(0));
            }

            @Override
            public List<INDArray> backward(INDArray gradOut) {
                return List.of(backward.apply(gradOut));
            }
        }, params);
    }

    /**
     * Checks a multi-input function.
     *
     * @param inputs the inputs, DOUBLE; perturbed in place and restored
     * @param f      the function
     * @param params parameters whose gradients backward accumulates
     * @return the result
     */
    public Result check(List<INDArray> inputs, Function2 f, List<Parameter> params) {
        for (INDArray x : inputs) {
            requireDouble(x, "input");
        }
        for (Parameter p : params) {
            requireDouble(p.value(), p.name());
        }
        INDArray out0 = f.forward(inputs);
        INDArray r = projection(out0.shape(), new Random(seed + 1));
        params.forEach(Parameter::zeroGrad);
        f.forward(inputs);
        List<INDArray> inGrads = f.backward(r);
        List<INDArray> paramGrads = new ArrayList<>();
        for (Parameter p : params) {
            paramGrads.add(p.grad().dup());
        }
        Random pick = new Random(seed);
        Tracker t = new Tracker();
        for (int i = 0; i < inputs.size(); i++) {
            compare("input" + i, inputs.get(i), inGrads.get(i), inputs, f, r, pick, t);
        }
        for (int i = 0; i < params.size(); i++) {
            compare(params.get(i).name(), params.get(i).value(), paramGrads.get(i), inputs, f, r, pick, t);
        }
        return new Result(t.max, t.worst, t.count);
    }

    private static final class Tracker {
        double max;
        String worst = "none";
        int count;
    }

    private void compare(String what, INDArray tensor, INDArray analytic, List<INDArray> inputs, Function2 f,
            INDArray r, Random pick, Tracker t) {
        if (!tensor.isView() && tensor.ordering() != 'c') {
            throw new IllegalArgumentException(what + " must be c-ordered");
        }
        long n = tensor.length();
        List<Long> idx = new ArrayList<>();
        if (n <= maxPerTensor) {
            for (long i = 0; i < n; i++) {
                idx.add(i);
            }
        } else {
            for (int k = 0; k < maxPerTensor; k++) {
                idx.add((long) pick.nextInt((int) n));
            }
        }
        INDArray flatAnalytic = analytic.reshape(-1);
        for (long i : idx) {
            double orig = tensor.getDouble(i);
            tensor.putScalar(i, orig + eps);
            double lp = f.forward(inputs).mul(r).sumNumber().doubleValue();
            tensor.putScalar(i, orig - eps);
            double lm = f.forward(inputs).mul(r).sumNumber().doubleValue();
            tensor.putScalar(i, orig);
            double num = (lp - lm) / (2 * eps);
            double a = flatAnalytic.getDouble(i);
            double diff = Math.abs(a - num);
            double rel = diff <= absTolerance ? 0 : diff / Math.max(Math.abs(a), Math.abs(num));
            t.count++;
            if (rel > t.max) {
                t.max = rel;
                t.worst = what + "[" + i + "] analytic " + a + " numeric " + num;
            }
        }
    }

    /**
     * R, uniform in [-1, 1), from the check's own seed: drawn from ND4J's global generator it
     * depended on what earlier tests had drawn, and so did which elements sat at the rounding
     * limit of the central differences.
     */
    private static INDArray projection(long[] shape, Random random) {
        double[] values = new double[(int) Arrays.stream(shape).reduce(1, Math::multiplyExact)];
        for (int i = 0; i < values.length; i++) {
            values[i] = 2 * random.nextDouble() - 1;
        }
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    private static void requireDouble(INDArray x, String what) {
        if (x.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(what + ": gradient checks need DOUBLE, got " + x.dataType());
        }
    }
}
