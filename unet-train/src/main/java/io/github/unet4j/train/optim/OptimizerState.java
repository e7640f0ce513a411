package io.github.unet4j.train.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A snapshot of an optimiser's state, as named tensors and scalars, for checkpoints.
 *
 * <p>Tensor names are {@code <slot>/<parameter name>}, with PyTorch's slot names:
 * {@code momentum_buffer/inc.conv1.weight} for {@link Sgd}, {@code exp_avg/...} and
 * {@code exp_avg_sq/...} for {@link Adam}. The hyperparameters are recorded for the reader;
 * {@link Optimizer#loadState(OptimizerState)} restores the step count and the tensors but keeps
 * the optimiser's own configuration. The maps keep their insertion order and cannot be
 * modified; {@link Optimizer#state()} fills them with copies, so a snapshot does not change
 * when the optimiser steps on.
 *
 * @param kind            the optimiser kind, e.g. {@code sgd} or {@code adam}
 * @param step            steps taken
 * @param hyperparameters scalar settings such as {@code lr} and {@code momentum}
 * @param schedule        description of the learning-rate schedule (its {@code toString()})
 * @param tensors         per-parameter buffers by {@code <slot>/<parameter name>}
 */
public record OptimizerState(String kind, long step, Map<String, Double> hyperparameters, String schedule,
        Map<String, INDArray> tensors) {

    /**
     * Validates the fields and makes unmodifiable, order-keeping copies of the maps.
     *
     * @param kind the optimiser kind, e.g. {@code sgd} or {@code adam}
     * @param step steps taken
     * @param hyperparameters scalar settings such as {@code lr} and {@code momentum}
     * @param schedule description of the learning-rate schedule (its {@code toString()})
     * @param tensors per-parameter buffers by {@code <slot>/<parameter name>}
     */
    public OptimizerState {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("OptimizerState: kind must be set");
        }
        if (step < 0) {
            throw new IllegalArgumentException("OptimizerState: step must be >= 0, got " + step);
        }
        if (hyperparameters == null || tensors == null) {
            throw new IllegalArgumentException("OptimizerState: hyperparameters and tensors must be set (may be empty)");
        }
        hyperparameters.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("OptimizerState: null hyperparameter name or value (" + k + ")");
            }
        });
        tensors.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("OptimizerState: null tensor name or value (" + k + ")");
            }
            if (k.indexOf('/') <= 0 || k.endsWith("/")) {
                throw new IllegalArgumentException("OptimizerState: tensor name " + k
                        + " is not of the form <slot>/<parameter name>");
            }
        });
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        schedule = schedule == null ? "" : schedule;
    }
}
