package io.github.unet4j.train.listeners;

import io.github.unet4j.core.io.AtomicFile;
import io.github.unet4j.train.StepResult;
import io.github.unet4j.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training log as two CSV files, appended as training goes: a row per step in
 * {@code steps} ({@code step,loss,learning_rate,seconds}) the moment the step ends, a row per
 * validation in {@code validations} ({@code step,} then the validator's metrics). Each row is
 * one {@code write} to a file opened for appending, so a process killed at any point leaves
 * whole rows up to its last step, never half a row.
 *
 * <p>A run that resumes at step S keeps the rows up to S and drops later ones (a killed run
 * logged steps after its last checkpoint; the resumed run does them again, with the same
 * losses). A run from step 0 starts both files afresh. Dropping rows rewrites the file
 * atomically ({@link AtomicFile}). {@link #read} reads both back, for a plot of the whole run.
 */
public final class CsvLog implements TrainingListener {
    /** The header of the steps file. */
    public static final String STEPS_HEADER = "step,loss,learning_rate,seconds";

    private final Path steps;
    private final Path validations;
    private FileChannel stepsOut;
    private FileChannel validationsOut;
    private List<String> metricNames;

    /**
     * @param steps       the file of a row per step
     * @param validations the file of a row per validation
     */
    public CsvLog(Path steps, Path validations) {
        this.steps = steps;
        this.validations = validations;
    }

    /**
     * The log's contents.
     *
     * @param steps       every step's result, in order
     * @param validations every validation's metrics by step, in order
     */
    public record Contents(List<StepResult> steps, Map<Long, Map<String, Double>> validations) {
    }

    @Override
    public void onTrainingBegin(long startStep, long totalSteps) {
        try {
            List<String> stepRows = keepUpTo(steps, STEPS_HEADER, startStep);
            List<String> validationRows = keepUpTo(validations, null, startStep);
            metricNames = validationRows.isEmpty() ? null : metricNames(validationRows.get(0));
            stepsOut = open(steps);
            validationsOut = open(validations);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onStep(StepResult r) {
        append(stepsOut, steps, r.step() + "," + r.loss() + "," + r.learningRate() + ","
                + String.format(Locale.ROOT, "%.4f", r.seconds()) + "\n");
    }

    @Override
    public void onValidation(long step, Map<String, Double> metrics) {
        List<String> names = List.copyOf(metrics.keySet());
        StringBuilder row = new StringBuilder();
        if (metricNames == null) {
            metricNames = names;
            row.append("step,").append(String.join(",", names)).append('\n');
        } else if (!metricNames.equals(names)) {
            throw new IllegalStateException("CsvLog " + validations + ": the validator's metrics are " + names
                    + " but the log's columns are " + metricNames + "; log to another file");
        }
        row.append(step);
        metrics.values().forEach(v -> row.append(',').append(v));
        append(validationsOut, validations, row.append('\n').toString());
    }

    @Override
    public void onTrainingEnd(long step) {
        close();
    }

    /** Closes the files; the trainer's end does this, a caller whose training threw should too. */
    public void close() {
        for (FileChannel c : new FileChannel[] {stepsOut, validationsOut}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                // nothing was pending: every row went out with its own write
            }
        }
        stepsOut = null;
        validationsOut = null;
    }

    private static List<String> metricNames(String header) {
        String[] cells = header.split(",", -1);
        return List.of(cells).subList(1, cells.length);
    }

    /**
     * Keeps the header and the rows of steps up to {@code last}; writes the file (atomically)
     * if that drops anything or it is missing.
     *
     * @param header the header to write into a new file, or null to leave a new file empty
     * @return the kept lines, header first (empty for a new file without a header)
     */
    private static List<String> keepUpTo(Path file, String header, long last) throws IOException {
        List<String> lines = Files.exists(file) && last > 0 ? Files.readAllLines(file, StandardCharsets.UTF_8)
                : List.of();
        List<String> kept = new ArrayList<>();
        if (!lines.isEmpty()) {
            kept.add(lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isEmpty() && step(file, line) <= last) {
                    kept.add(line);
                }
            }
        } else if (header != null) {
            kept.add(header);
        }
        if (!Files.exists(file) || last <= 0 || kept.size() != lines.size()) {
            StringBuilder sb = new StringBuilder();
            kept.forEach(l -> sb.append(l).append('\n'));
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(file, t -> Files.write(t, bytes), IOException.class,
                    (p, problem, cause) -> new IOException(p + ": " + problem, cause));
        }
        return kept;
    }

    private static long step(Path file, String row) throws IOException {
        int comma = row.indexOf(',');
        try {
            return Long.parseLong(comma < 0 ? row : row.substring(0, comma));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": row '" + row + "' does not start with a step number; move the file "
                    + "away or start the run afresh", e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    }

    private static void append(FileChannel out, Path file, String row) {
        if (out == null) {
            throw new IllegalStateException("CsvLog " + file + ": not open (onTrainingBegin not called, or ended)");
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(row.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(file + ": cannot append to the training log: "
                    + AtomicFile.reason(e), e));
        }
    }

    /**
     * @param steps       the steps file (missing: no steps)
     * @param validations the validations file (missing: no validations)
     * @return what they hold
     * @throws IOException naming a file that cannot be read or a row that is not a number
     */
    public static Contents read(Path steps, Path validations) throws IOException {
        List<StepResult> rows = new ArrayList<>();
        for (String[] c : rows(steps, lines(steps))) {
            if (c.length != 4) {
                throw new IOException(steps + ": a row of " + c.length + " cells where " + STEPS_HEADER + " has 4");
            }
            rows.add(new StepResult(Long.parseLong(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2]),
                    Double.parseDouble(c[3])));
        }
        Map<Long, Map<String, Double>> vals = new LinkedHashMap<>();
        List<String> validationLines = lines(validations);
        List<String> names = validationLines.isEmpty() ? List.of() : metricNames(validationLines.get(0));
        for (String[] c : rows(validations, validationLines)) {
            if (c.length != names.size() + 1) {
                throw new IOException(validations + ": a row of " + c.length + " cells where the header has "
                        + (names.size() + 1));
            }
            Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), Double.parseDouble(c[i + 1]));
            }
            vals.put(Long.parseLong(c[0]), Collections.unmodifiableMap(m));
        }
        return new Contents(List.copyOf(rows), Collections.unmodifiableMap(vals));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** @return the rows after the header, each split into cells that are all numbers */
    private static List<String[]> rows(Path file, List<String> lines) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (!line.isEmpty()) {
                try {
                    String[] cells = line.split(",", -1);
                    for (String cell : cells) {
                        Double.parseDouble(cell);
                    }
                    out.add(cells);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": row '" + line + "' is not numbers", e);
                }
            }
        }
        return out;
    }
}
