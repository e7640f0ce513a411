package io.github.unet4j.train.optim;

import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.runtime.Workspaces;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Parameter bookkeeping, step counting and state export/import shared by the optimisers. */
abstract class AbstractOptimizer implements Optimizer {

    private final String label;
    private final List<Parameter> parameters;
    /** Per-parameter buffers by {@code <slot>/<parameter name>}, in slot-major order. */
    private final Map<String, INDArray> buffers = new LinkedHashMap<>();
    private long step;

    AbstractOptimizer(String label, List<Parameter> parameters, List<String> slots) {
        this.label = label;
        if (parameters == null) {
            throw new IllegalArgumentException(label + ": the parameter list must be set");
        }
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            if (p == null) {
                throw new IllegalArgumentException(label + ": the parameter list contains null");
            }
            if (!names.add(p.name())) {
                throw new IllegalArgumentException(label + ": parameter " + p.name() + " appears twice");
            }
        }
        this.parameters = List.copyOf(parameters);
        for (String slot : slots) {
            for (Parameter p : this.parameters) {
                buffers.put(key(slot, p), Nd4j.zeros(p.value().dataType(), p.shape()));
            }
        }
    }

    private static String key(String slot, Parameter p) {
        return slot + "/" + p.name();
    }

    /** @return the buffer of a slot for a parameter, updated in place by the subclass */
    final INDArray buffer(String slot, Parameter p) {
        return buffers.get(key(slot, p));
    }

    /**
     * Updates one parameter.
     *
     * @param p    the parameter
     * @param lr   this step's learning rate
     * @param step the number of steps taken before this one
     */
    abstract void update(Parameter p, double lr, long step);

    /** @return the hyperparameters recorded in {@link #state()} */
    abstract Map<String, Double> hyperparameters();

    /** @return the learning-rate schedule */
    abstract LearningRateSchedule schedule();

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public final void step() {
        double lr = learningRate();
        for (Parameter p : parameters) {
            // Each update's temporaries (parameter-sized) live in one small reused workspace,
            // freed before the next parameter's: all of them at once would be another copy of
            // the weights (or four, for Adam).
            Workspaces.run("unet4j-optimizer-update", () -> {
                update(p, lr, step);
                return null;
            });
        }
        step++;
    }

    @Override
    public final long stepCount() {
        return step;
    }

    @Override
    public final double learningRate() {
        return schedule().rate(step, baseLearningRate());
    }

    @Override
    public final OptimizerState state() {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        buffers.forEach((k, v) -> copies.put(k, v.dup()));
        return new OptimizerState(kind(), step, hyperparameters(), schedule().toString(), copies);
    }

    @Override
    public final void checkState(OptimizerState state) {
        if (state == null) {
            throw new IllegalArgumentException(label + ": the state to load must be set");
        }
        if (!kind().equals(state.kind())) {
            throw new IllegalArgumentException(label + ": cannot load the state of a '" + state.kind()
                    + "' optimiser into a '" + kind() + "' optimiser");
        }
        for (Map.Entry<String, INDArray> e : buffers.entrySet()) {
            INDArray given = state.tensors().get(e.getKey());
            if (given == null) {
                throw new IllegalArgumentException(label + ": the state has no tensor " + e.getKey());
            }
            if (!Arrays.equals(given.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(label + ": state tensor " + e.getKey() + " has shape "
                        + Arrays.toString(given.shape()) + " but the parameter has shape "
                        + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String name : state.tensors().keySet()) {
            if (!buffers.containsKey(name)) {
                throw new IllegalArgumentException(label + ": state tensor " + name
                        + " matches no buffer of this optimiser (unknown slot or parameter)");
            }
        }
    }

    @Override
    public final void loadState(OptimizerState state) {
        checkState(state);
        buffers.forEach((k, v) -> v.assign(state.tensors().get(k)));
        step = state.step();
    }
}
