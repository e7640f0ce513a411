package io.github.unet4j.train.optim;

import io.github.unet4j.core.Parameter;
import java.util.List;

/**
 * Updates a fixed list of {@link Parameter}s in place from their accumulated gradients.
 *
 * <p>An optimiser sees only parameters, never layers. It owns its per-parameter state
 * (momentum buffers, moment estimates), keyed by parameter name, and exports and imports it
 * with {@link #state()} and {@link #loadState(OptimizerState)} so that a run resumed from a
 * checkpoint continues bit-identically. It does not clear gradients: call
 * {@link #zeroGrad()} (or the network's) before the next backward pass.
 */
public interface Optimizer {

    /** @return the optimiser kind as recorded in checkpoints, e.g. {@code sgd} */
    String kind();

    /** @return the parameters this optimiser updates, in order */
    List<Parameter> parameters();

    /**
     * Updates every parameter in place from its gradient with the learning rate of the current
     * step ({@link #learningRate()}), then increments {@link #stepCount()}.
     */
    void step();

    /** @return the number of steps taken */
    long stepCount();

    /** @return the base learning rate, before the schedule */
    double baseLearningRate();

    /** @return the learning rate the next {@link #step()} uses: the schedule at {@link #stepCount()} */
    double learningRate();

    /** Sets the gradient of every parameter to zero. */
    default void zeroGrad() {
        parameters().forEach(Parameter::zeroGrad);
    }

    /** @return a snapshot (copies) of the step count, hyperparameters and per-parameter buffers */
    OptimizerState state();

    /**
     * Checks that a state fits this optimiser without changing anything.
     *
     * @param state a state exported by an optimiser of the same kind over parameters of the same
     *              names and shapes
     * @throws IllegalArgumentException naming the first problem: a different kind, a missing or
     *                                  unexpected tensor, or a tensor whose shape differs from its
     *                                  parameter's
     */
    void checkState(OptimizerState state);

    /**
     * Restores the step count and per-parameter buffers (values are copied, converted to the
     * parameters' data type). The configuration (learning rate, momentum, schedule) stays this
     * optimiser's own. Nothing changes if the state does not fit.
     *
     * @param state a state exported by an optimiser of the same kind over parameters of the same
     *              names and shapes
     * @throws IllegalArgumentException as {@link #checkState(OptimizerState)}
     */
    void loadState(OptimizerState state);
}
