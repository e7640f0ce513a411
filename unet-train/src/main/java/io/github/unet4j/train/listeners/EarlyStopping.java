package io.github.unet4j.train.listeners;

import io.github.unet4j.train.TrainingListener;
import java.util.Map;
import java.util.Objects;

/**
 * Stops a run when a validation metric has not improved for {@code patience} validations in a
 * row. Lower is better for errors ({@code pixel_error}, {@code rand_error}), higher for scores.
 */
public final class EarlyStopping implements TrainingListener {

    /** Which way is better. */
    public enum Goal {
        /** Lower is better (errors, losses). */
        MINIMISE,
        /** Higher is better (scores, IoU, Dice). */
        MAXIMISE
    }

    private final String metric;
    private final Goal goal;
    private final int patience;
    private double best = Double.NaN;
    private long bestStep = -1;
    private int worse;

    /**
     * @param metric   the validation metric's name, as the validator reports it
     * @param goal     whether lower or higher is better
     * @param patience validations without improvement before stopping, at least 1
     */
    public EarlyStopping(String metric, Goal goal, int patience) {
        this.metric = Objects.requireNonNull(metric, "metric");
        this.goal = Objects.requireNonNull(goal, "goal");
        if (patience < 1) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 1 validation, got " + patience);
        }
        this.patience = patience;
    }

    @Override
    public void onValidation(long step, Map<String, Double> metrics) {
        Double v = metrics.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("EarlyStopping: the validation reports no metric '" + metric
                    + "'; it reports " + metrics.keySet());
        }
        boolean better = Double.isNaN(best) || (goal == Goal.MINIMISE ? v < best : v > best);
        if (better) {
            best = v;
            bestStep = step;
            worse = 0;
        } else {
            worse++;
        }
    }

    @Override
    public boolean stopRequested() {
        return worse >= patience;
    }

    /** @return the best value seen, NaN before the first validation */
    public double best() {
        return best;
    }

    /** @return the step of the best value, -1 before the first validation */
    public long bestStep() {
        return bestStep;
    }
}
