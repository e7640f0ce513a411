package io.github.unet4j.examples.cli;

import io.github.unet4j.train.StepResult;
import io.github.unet4j.train.TrainingListener;
import io.github.unet4j.train.listeners.Progress;
import java.io.PrintWriter;
import java.util.Map;

/**
 * A progress bar with time remaining on standard error, drawn from the library's
 * {@link Progress} reports. On a terminal it redraws one line; in a
 * log (no console) it prints a line every 5% so that CI logs stay short.
 */
final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private final Progress progress = new Progress(this::show);
    private long lastPercent = -1;
    private String lastValidation = "";

    ProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void onTrainingBegin(long startStep, long steps) {
        progress.onTrainingBegin(startStep, steps);
    }

    @Override
    public void onStep(StepResult r) {
        progress.onStep(r);
    }

    private void show(Progress.Report r) {
        long percent = Math.round(100 * r.fraction());
        String line = bar(r.fraction()) + " " + r.line() + lastValidation;
        if (terminal) {
            err.print("\r" + line + "   ");
            err.flush();
        } else if (percent / 5 != lastPercent / 5 || r.step() == r.steps()) {
            err.println(line);
            err.flush();
            lastPercent = percent;
        }
    }

    @Override
    public void onValidation(long step, Map<String, Double> metrics) {
        progress.onValidation(step, metrics);
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

    private static String bar(double fraction) {
        int n = (int) (WIDTH * fraction);
        return "[" + "#".repeat(n) + "-".repeat(WIDTH - n) + "]";
    }
}
