package io.github.unet4j.core.init;

import io.github.unet4j.core.Parameter;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.factory.Nd4j;

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
                    double std = Math.sqrt(2.0 / p.fanIn());
                    double[] v = new double[Math.toIntExact(p.size())];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = rng.nextGaussian() * std;
                    }
                    p.value().assign(Nd4j.createFromArray(v).reshape(p.shape()).castTo(p.value().dataType()));
                }
                case BIAS, SHIFT -> p.value().assign(0);
                case SCALE -> p.value().assign(1);
                default -> throw new IllegalStateException("unknown kind " + p.kind());
            }
        }
    }
}
