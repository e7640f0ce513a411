package io.github.unet4j.train.listeners;

import io.github.unet4j.train.StepResult;
import io.github.unet4j.train.TrainingListener;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the run through SLF4J (logger {@code io.github.unet4j.train.listeners.LoggingListener}): a
 * line every {@code every} steps, each validation and each checkpoint. Without an SLF4J binding on
 * the class path nothing is shown; add one (slf4j-simple, logback) to see it.
 */
public final class LoggingListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingListener.class);
    private final long every;

    /** @param every steps between two log lines, at least 1 */
    public LoggingListener(long every) {
        if (every < 1) {
            throw new IllegalArgumentException("LoggingListener: every must be >= 1 step, got " + every);
        }
        this.every = every;
    }

    @Override
    public void onStep(StepResult r) {
        if (r.step() % every == 0) {
            LOG.info("step {} loss {} lr {} {} s", r.step(), r.loss(), r.learningRate(), r.seconds());
        }
    }

    @Override
    public void onValidation(long step, Map<String, Double> metrics) {
        LOG.info("step {} validation {}", step, metrics);
    }

    @Override
    public void onCheckpoint(long step, Path path) {
        LOG.info("step {} checkpoint {}", step, path);
    }
}
