package io.github.unet4j.core.init;

import io.github.unet4j.core.Parameter;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's initialisation (He et al. 2015): weights drawn from a Gaussian with standard
 * deviation {@code sqrt(2 / N)}, N the number of incoming nodes of one neuron (the parameter's
 * {@link Parameter#fanIn()}: 3x3 over 64 channels gives N = 576, std ~ 0.059); biases and
 * batch-norm shifts zero, batch-norm scales one.
 */
public final class HeNormal implements Initializer {

    @Override
    public void initialize(List<Parameter> parameters, RandomGenerator rng) {
        for (Parameter p : parameters) {
            switch (p.kind()) {
                case WEIGHT -> {
                    gaussian(p.value(), Math.sqrt(2.0 / p.fanIn()), rng);
                }
                case BIAS, SHIFT -> p.value().assign(0);
                case SCALE -> p.value().assign(1);
                default -> throw new IllegalStateException("unknown kind " + p.kind());
            }
        }
    }

    /**
     * Fills {@code target} (a parameter: c order, its own buffer) with N(0, std^2) draws, in
     * order, writing straight into its memory: temporary ND4J arrays per chunk would leave
     * their memory behind (about as much again as the weights, measured).
     */
    private static void gaussian(INDArray target, double std, RandomGenerator rng) {
        if (target.isView() || target.ordering() != 'c') {
            throw new IllegalArgumentException("HeNormal: a parameter must own its c-ordered buffer, got a view or 'f' order");
        }
        long length = target.length();
        switch (target.dataType()) {
            case FLOAT -> {
                java.nio.FloatBuffer out = target.data().asNioFloat();
                for (long i = 0; i < length; i++) {
                    out.put((float) (rng.nextGaussian() * std));
                }
            }
            case DOUBLE -> {
                java.nio.DoubleBuffer out = target.data().asNioDouble();
                for (long i = 0; i < length; i++) {
                    out.put(rng.nextGaussian() * std);
                }
            }
            default -> throw new IllegalArgumentException("HeNormal: parameters are FLOAT or DOUBLE, got "
                    + target.dataType());
        }
    }
}
