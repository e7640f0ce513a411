package io.github.unet4j.train;

import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.init.Seeds;
import io.github.unet4j.core.runtime.NativeGarbage;
import io.github.unet4j.train.checkpoint.Checkpoint;
import io.github.unet4j.train.data.BatchSource;
import io.github.unet4j.train.loss.Loss;
import io.github.unet4j.train.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop: a {@link TrainingStep} on a batch from a {@link BatchSource}; validate and
 * checkpoint on schedule; stop early when a listener asks ({@link TrainingListener#stopRequested()},
 * e.g. {@link io.github.unet4j.train.listeners.EarlyStopping}); stop with a
 * {@link DivergenceException} when the loss becomes NaN or explodes.
 *
 * <p>Step s draws its tiles, augmentation and dropout mask from generators derived from
 * (seed, s) only. A run resumed from a checkpoint of step s (parameters, batch-norm statistics,
 * optimiser state and step count) therefore continues exactly as the uninterrupted run.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int BASELINE_STEPS = 20;

    private final UNet network;
    private final Optimizer optimizer;
    private final TrainingStep trainingStep;
    private final BatchSource batches;
    private final TrainerConfig config;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Validator validator;
    private Map<String, String> metadata = Map.of();

    /**
     * @param network   the network (its parameters are the optimiser's)
     * @param loss      the loss on its logits
     * @param optimizer the optimiser; its step count is where the run starts
     * @param batches   the training batches (a {@link io.github.unet4j.train.data.TileSampler}, say)
     * @param config    steps, seed, schedules
     */
    public Trainer(UNet network, Loss loss, Optimizer optimizer, BatchSource batches, TrainerConfig config) {
        this.network = network;
        this.optimizer = optimizer;
        this.trainingStep = new TrainingStep(network, loss, optimizer);
        this.batches = java.util.Objects.requireNonNull(batches, "batches");
        this.config = java.util.Objects.requireNonNull(config, "config");
    }

    /** @param l a listener @return this */
    public Trainer addListener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /** @param v validation on held-out data, run every {@link TrainerConfig#validateEvery()} steps @return this */
    public Trainer validator(Validator v) {
        this.validator = v;
        return this;
    }

    /** @param m free-form metadata saved in checkpoints (e.g. normalisation) @return this */
    public Trainer metadata(Map<String, String> m) {
        this.metadata = Map.copyOf(m);
        return this;
    }

    /**
     * Runs from the optimiser's step count to {@link TrainerConfig#steps()}, or until a listener
     * asks to stop; a checkpoint (if configured) is written at the step reached.
     *
     * @return the losses of the steps run
     * @throws DivergenceException if the loss becomes NaN, infinite or explodes
     * @throws UncheckedIOException if a checkpoint cannot be written
     */
    public List<Double> train() {
        long start = optimizer.stepCount();
        listeners.forEach(l -> l.onTrainingBegin(start, config.steps()));
        LOG.info("training steps {} to {}, batch {}, seed {}", start, config.steps(), config.batchSize(),
                config.seed());
        List<Double> losses = new ArrayList<>();
        double baseline = 0;
        long end = Math.max(start, config.steps());
        for (long step = start; step < config.steps(); step++) {
            long t0 = System.nanoTime();
            double value = step(step);
            NativeGarbage.collectIfDue();
            losses.add(value);
            if (losses.size() <= BASELINE_STEPS) {
                baseline += value / BASELINE_STEPS;
            }
            checkDivergence(step + 1, value, losses.size() >= BASELINE_STEPS ? baseline : Double.NaN);
            StepResult r = new StepResult(step + 1, value, optimizer.learningRate(), (System.nanoTime() - t0) / 1e9);
            listeners.forEach(l -> l.onStep(r));
            long done = step + 1;
            if (validator != null && config.validateEvery() > 0 && done % config.validateEvery() == 0) {
                validate(done);
            }
            if (listeners.stream().anyMatch(TrainingListener::stopRequested)) {
                LOG.info("step {}: a listener asked to stop", done);
                end = done;
                break;
            }
            if (config.checkpoint() != null && config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0
                    && done < config.steps()) {
                checkpoint(done);
            }
        }
        long last = end;
        if (config.checkpoint() != null) {
            checkpoint(last);
        }
        listeners.forEach(l -> l.onTrainingEnd(last));
        BufferPool.trimPool(); // the step's buffers, kept for reuse between steps
        return losses;
    }

    /** Step s's batch and dropout mask come from generators derived from (seed, s) only. */
    private double step(long step) {
        network.dropout().reseed(Seeds.derive(config.seed(), "dropout/" + step));
        return trainingStep.run(batches, config.batchSize(), Seeds.stream(config.seed(), "sample/" + step));
    }

    private void checkDivergence(long step, double value, double baseline) {
        String advice = "; try a lower learning rate (now " + optimizer.learningRate() + ") or check the inputs "
                + "for NaN and the labels for classes the network does not have";
        if (!Double.isFinite(value)) {
            throw new DivergenceException("training diverged: the loss became " + value + " at step " + step + advice);
        }
        if (Double.isFinite(baseline) && value > config.divergenceFactor() * baseline) {
            throw new DivergenceException("training diverged: the loss " + value + " at step " + step + " exceeds "
                    + config.divergenceFactor() + " times the mean of the first " + BASELINE_STEPS + " steps ("
                    + baseline + ")" + advice);
        }
    }

    private void validate(long step) {
        Map<String, Double> m = new LinkedHashMap<>(validator.validate(network));
        LOG.info("step {} validation {}", step, m);
        listeners.forEach(l -> l.onValidation(step, m));
    }

    private void checkpoint(long step) {
        try {
            Checkpoint.save(config.checkpoint(), network, optimizer, step, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + config.checkpoint() + ": " + e.getMessage(), e);
        }
        LOG.info("step {} checkpoint {}", step, config.checkpoint());
        listeners.forEach(l -> l.onCheckpoint(step, config.checkpoint()));
    }
}
