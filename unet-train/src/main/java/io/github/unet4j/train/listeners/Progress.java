package io.github.unet4j.train.listeners;

import io.github.unet4j.train.StepResult;
import io.github.unet4j.train.TrainingListener;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Progress with time remaining, for any display: after each step it hands a {@link Report} to a
 * sink (a console bar, a log line, an ImageJ status bar). The loss is smoothed (an exponential
 * mean of weight 0.02) so that the shown value moves steadily.
 */
public final class Progress implements TrainingListener {

    /**
     * Where a run is.
     *
     * @param step           steps done so far
     * @param startStep      the step the run started from
     * @param steps          the step it runs to
     * @param smoothedLoss   the smoothed loss
     * @param learningRate   the learning rate of the last step
     * @param secondsPerStep the mean wall time per step so far
     * @param secondsLeft    the estimated wall time to the end
     * @param lastValidation the last validation's metrics, empty before the first
     */
    public record Report(long step, long startStep, long steps, double smoothedLoss, double learningRate,
            double secondsPerStep, double secondsLeft, Map<String, Double> lastValidation) {

        /** @return the fraction of this run's steps done, in [0, 1] */
        public double fraction() {
            long todo = steps - startStep;
            return todo > 0 ? Math.min(1, (double) (step - startStep) / todo) : 1;
        }

        /** @return e.g. {@code "120/2500 loss 0.4123 lr 1.0e-03 0.31s/step eta 0:12:17"} */
        public String line() {
            return String.format(Locale.ROOT, "%d/%d loss %.4f lr %.2g %.2fs/step eta %s", step, steps, smoothedLoss,
                    learningRate, secondsPerStep, clock(secondsLeft));
        }
    }

    private final Consumer<Report> sink;
    private long start;
    private long total;
    private long begun;
    private double smoothLoss = Double.NaN;
    private Map<String, Double> lastValidation = Map.of();

    /** @param sink what to do with each report */
    public Progress(Consumer<Report> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public void onTrainingBegin(long startStep, long steps) {
        this.start = startStep;
        this.total = steps;
        this.begun = System.nanoTime();
        this.smoothLoss = Double.NaN;
    }

    @Override
    public void onStep(StepResult r) {
        smoothLoss = Double.isNaN(smoothLoss) ? r.loss() : 0.98 * smoothLoss + 0.02 * r.loss();
        long done = r.step() - start;
        double elapsed = (System.nanoTime() - begun) / 1e9;
        double perStep = elapsed / Math.max(done, 1);
        sink.accept(new Report(r.step(), start, total, smoothLoss, r.learningRate(), perStep,
                perStep * Math.max(0, total - r.step()), lastValidation));
    }

    @Override
    public void onValidation(long step, Map<String, Double> metrics) {
        lastValidation = Map.copyOf(metrics);
    }

    /**
     * @param seconds a duration
     * @return it as {@code h:mm:ss}
     */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
