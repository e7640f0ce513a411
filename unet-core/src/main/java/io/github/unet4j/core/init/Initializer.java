package io.github.unet4j.core.init;

import io.github.unet4j.core.Parameter;
import java.util.List;
import java.util.random.RandomGenerator;

/** Sets parameter values; sees only parameters, never layers. */
public interface Initializer {

    /**
     * @param parameters the parameters to set, in a fixed order (the draw order)
     * @param rng        the generator to draw from
     */
    void initialize(List<Parameter> parameters, RandomGenerator rng);
}
