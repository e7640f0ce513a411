package io.github.unet4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PyTorch's three CPU modes on the same network, run by {@code unet bench --pytorch PYTHON} right
 * after the project's own measurements: the scripts bundled in the jar ({@code peer/}, the
 * paper's U-Net in PyTorch: valid 3x3 convolutions, 2x2 max-pooling and up-convolutions,
 * crop-and-concat; one SGD step with momentum of a weighted cross-entropy) in a child process.
 */
final class PeerBench {
    /** PyTorch's modes: fp32 NCHW, fp32 channels-last, bf16 autocast with channels-last. */
    static final List<String> MODES = List.of("fp32", "cl", "cl-bf16");
    private static final Pattern LINE = Pattern.compile(
            "(\\S+): tile (\\d+) base (\\d+): train_step_s=([0-9.]+) forward_s=([0-9.]+)");

    /** One mode's times: a training step and a forward pass, seconds. */
    record Result(String mode, double trainStep, double forward) {
    }

    private final String python;

    PeerBench(String python) {
        this.python = python;
    }

    /**
     * Fails early (before minutes of the project's own runs) when the interpreter or torch is missing.
     *
     * @throws IllegalArgumentException naming the interpreter, what it said, and the fix
     */
    String check() {
        List<String> out = run(List.of(python, "-c", "import torch; print(torch.__version__)"), 120);
        return out.isEmpty() ? "?" : out.get(out.size() - 1);
    }

    /**
     * @param tile input tile
     * @param base base channels
     * @param reps timed runs of each (after one untimed)
     * @return one result per mode of {@link #MODES}
     */
    List<Result> measure(int tile, int base, int reps) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("unet4j-peer");
            for (String f : List.of("torch_unet.py", "torch_modes.py")) {
                try (InputStream in = PeerBench.class.getResourceAsStream("peer/" + f)) {
                    if (in == null) {
                        throw new IllegalStateException("the jar has no peer/" + f);
                    }
                    Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            List<String> cmd = new ArrayList<>(List.of(python, dir.resolve("torch_modes.py").toString(),
                    Integer.toString(tile), Integer.toString(base), Integer.toString(reps)));
            cmd.addAll(MODES);
            return parse(run(cmd, 3600));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary folder; the system cleans it
                }
            }
        }
    }

    /** @return the results in the script's output lines, one per mode, in {@link #MODES}' order */
    static List<Result> parse(List<String> lines) {
        List<Result> results = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line.trim());
            if (m.matches()) {
                results.add(new Result(m.group(1), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))));
            }
        }
        if (results.size() != MODES.size()) {
            throw new IllegalStateException("PyTorch's script printed " + results.size() + " of " + MODES.size()
                    + " results: " + String.join(" | ", lines));
        }
        return results;
    }

    private List<String> run(List<String> cmd, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text;
            try (InputStream in = p.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("--pytorch " + python + ": no answer in " + timeoutSeconds + " s");
            }
            List<String> lines = text.lines().toList();
            if (p.exitValue() != 0) {
                String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
                throw new IllegalArgumentException("--pytorch " + python + ": exit code " + p.exitValue() + " ("
                        + last + "); give a Python with PyTorch (Debian: apt-get install python3-torch, then "
                        + "--pytorch /usr/bin/python3) or leave --pytorch out");
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalArgumentException("--pytorch " + python + ": cannot run it (" + e.getMessage()
                    + "); give the path of a Python with PyTorch or leave --pytorch out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while PyTorch ran", e);
        }
    }

    /** @return e.g. "cl-bf16 3.771 s / 1.030 s" */
    static String describe(Result r) {
        return String.format(Locale.ROOT, "%s %.3f s / %.3f s", r.mode(), r.trainStep(), r.forward());
    }
}
