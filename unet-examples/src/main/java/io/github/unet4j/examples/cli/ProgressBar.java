package io.github.unet4j.examples.cli;

import io.github.unet4j.train.StepResult;
import io.github.unet4j.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Map;

/**
 * A progress bar with time remaining on standard error. On a terminal it redraws one line; in a
 * log (no console) it prints a line every 5% so that CI logs stay short.
 */
final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private long start;
    private long total;
    private long begun;
    private double smoothLoss = Double.NaN;
    private long lastPercent = -1;
    private String lastValidation = "";

    ProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void onTrainingBegin(long startStep, long iterations) {
        this.start = startStep;
        this.total = iterations;
        this.begun = System.nanoTime();
    }

    @Override
    public void onStep(StepResult r) {
        smoothLoss = Double.isNaN(smoothLoss) ? r.loss() : 0.98 * smoothLoss + 0.02 * r.loss();
        long done = r.step() - start;
        long todo = total - start;
        double elapsed = (System.nanoTime() - begun) / 1e9;
        double eta = done > 0 ? elapsed / done * (todo - done) : 0;
        long percent = todo > 0 ? 100 * done / todo : 100;
        String line = String.format("%s %d/%d loss %.4f lr %.2g %.2fs/step eta %s%s", bar(done, todo), r.step(),
                total, smoothLoss, r.learningRate(), elapsed / Math.max(done, 1), time(eta), lastValidation);
        if (terminal) {
            err.print("\r" + line + "   ");
            err.flush();
        } else if (percent / 5 != lastPercent / 5 || r.step() == total) {
            err.println(line);
            err.flush();
            lastPercent = percent;
        }
    }

    @Override
    public void onValidation(long step, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder(" |");
        metrics.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(String.format("%.4f", v)));
        lastValidation = sb.toString();
        if (terminal) {
            err.println();
        }
        err.println("validation at step " + step + ":" + lastValidation.substring(2));
        err.flush();
    }

    @Override
    public void onTrainingEnd(long step) {
        if (terminal) {
            err.println();
        }
        err.flush();
    }

    private static String bar(long done, long total) {
        int n = total > 0 ? (int) (WIDTH * done / total) : WIDTH;
        return "[" + "#".repeat(n) + "-".repeat(WIDTH - n) + "]";
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
