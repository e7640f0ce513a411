package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.ops.Precision;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.runtime.UNetRuntime;
import io.github.unet4j.train.Trainer;
import io.github.unet4j.train.TrainingRecipe.OptimizerKind;
import io.github.unet4j.train.TrainingRecipe;
import io.github.unet4j.train.checkpoint.Checkpoint;
import io.github.unet4j.train.data.LabelCoding;
import io.github.unet4j.train.data.LabelledImages;
import io.github.unet4j.train.TrainingListener;
import io.github.unet4j.train.listeners.CsvLog;
import io.github.unet4j.train.optim.Optimizer;
import io.github.unet4j.train.weightmap.ClassBalance;
import io.github.unet4j.train.weightmap.WeightMapConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet train}: trains on a folder of images and their labels (by default the bundled
 * ISBI 2012 slices and binary labels), validating on the last few, and writes the checkpoint,
 * CSV logs of the steps and validations (appended as training goes, continued by
 * {@code --resume}) and a plot. Images may be gray, RGB or TIFFs whose pages are channels;
 * {@code --in-channels} follows them unless given.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a U-Net on images (gray, RGB or multi-page TIFF channels) with binary, class-id or "
                + "instance labels (default: the bundled ISBI 2012 slices, binary) with the paper's weight map, "
                + "elastic deformation and flips.")
public final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    /** Optimisers on offer. */

    @Mixin
    NetworkOptions network = NetworkOptions.fast();

    @Mixin
    PrecisionOption precision = new PrecisionOption("auto", "auto");

    @Option(names = "--paper", description = "The paper's network (64 base channels) and 572 tiles; slow on a CPU.")
    boolean paper;

    @Option(names = "--data", description = "Folder with train/image and train/label; images gray, RGB, or TIFFs "
            + "whose pages are channels, and --in-channels follows them unless given (default: ${DEFAULT-VALUE}).")
    Path data = Path.of("data", "isbi2012");

    @Option(names = "--labels", description = "How the label images code their pixels: BINARY (0 = background "
            + "or membrane, one other value = foreground), CLASSES (value = class id 0..K-1; K from --classes or the "
            + "data) or INSTANCES (0 = background, one id per object; touching objects get a background ridge "
            + "between them) (default: ${DEFAULT-VALUE}).")
    LabelCoding labels = LabelCoding.BINARY;

    @Option(names = "--ignore-label", description = "Label value of pixels with no loss and no metric "
            + "(partially annotated images); -1 for none (default: ${DEFAULT-VALUE}).")
    int ignoreLabel = -1;

    @Option(names = "--validation", description = "Slices held out for validation, the last ones "
            + "(default: ${DEFAULT-VALUE}).")
    int validation = 3;

    @Option(names = "--tile", description = "Input tile size, a valid size for the network (default: ${DEFAULT-VALUE}).")
    int tile = 396;

    @Option(names = {"--steps", "--iterations"}, description = "Training steps (default: ${DEFAULT-VALUE}).")
    long steps = 2500;

    @Option(names = "--batch", description = "Tiles per step (default: ${DEFAULT-VALUE}).")
    int batch = 1;

    @Option(names = "--optimizer", description = "ADAM or SGD (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer = OptimizerKind.ADAM;

    @Option(names = "--lr", description = "Learning rate (default: 1e-3 for Adam, 0.01 for SGD).")
    Double lr;

    @Option(names = "--momentum", description = "SGD momentum (default: the paper's ${DEFAULT-VALUE}).")
    double momentum = 0.99;

    @Option(names = "--no-weight-map", description = "Train without the paper's border weight map.")
    boolean noWeightMap;

    @Option(names = "--w0", description = "Weight map border weight w0 (default: ${DEFAULT-VALUE}).")
    double w0 = 10;

    @Option(names = "--sigma", description = "Weight map border width sigma in pixels (default: ${DEFAULT-VALUE}).")
    double sigma = 5;

    @Option(names = "--class-balance", description = "Class-balancing term wc of the weight map: "
            + "INVERSE_FREQUENCY (paper) or NONE; the border term is kept either way (default: ${DEFAULT-VALUE}).")
    ClassBalance classBalance = ClassBalance.NONE;

    @Mixin
    ActivationsOption activationsOption = new ActivationsOption();

    /** What {@link #activationsOption} resolves to, once the precision is set. */
    private Activations activations;

    @Option(names = "--validate-every", description = "Steps between validations (default: ${DEFAULT-VALUE}).")
    long validateEvery = 250;

    @Option(names = "--checkpoint-every", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointEvery = 500;

    @Option(names = "--resume", description = "Continue from OUT/model.zip if it exists; the logs continue too.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace a previous run in OUT (its checkpoint, logs and plot) "
            + "instead of refusing to.")
    boolean overwrite;

    @Option(names = "--seed", description = "Seed of initialisation, sampling, augmentation, dropout "
            + "(default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "isbi");

    @Option(names = "--memory-log", description = "Write the process's memory (resident, Java heap, ND4J's arrays) "
            + "every 10 steps to this CSV file, and log its trend over the later steps at the end.")
    Path memoryLog;

    @Spec
    CommandSpec spec;

    /** The files of a run in its output folder. */
    static final String MODEL = "model.zip";
    static final String STEPS_LOG = "training-log.csv";
    static final String VALIDATION_LOG = "validation-log.csv";
    static final String PLOT = "training-plot.png";

    @Override
    public Integer call() throws IOException {
        checkOptions();
        Precision computedPrecision = precision.apply();
        String computed = computedPrecision.label();
        activationsOption.check();
        UNetConfig config = paper ? UNetConfig.paper() : network.toConfig();
        boolean classesGiven = spec.commandLine().getParseResult().hasMatchedOption("--classes");
        boolean channelsGiven = spec.commandLine().getParseResult().hasMatchedOption("--in-channels");
        if (labels != LabelCoding.CLASSES && config.classes() != 2) {
            throw new IllegalArgumentException("--classes " + config.classes() + ": unet train reads binary or "
                    + "instance labels with --labels " + labels.name().toLowerCase(java.util.Locale.ROOT)
                    + ", which make 2 classes; pass --labels classes for class-id labels");
        }
        int inputTile = paper && tile == 396 ? 572 : tile;
        int outputTile = OptionChecks.tile("--tile", config, inputTile);
        checkPreviousRun();
        LabelledImages all = LabelledImages.read(data.resolve("train").resolve("image"),
                data.resolve("train").resolve("label"), labels, labels != LabelCoding.CLASSES ? 2
                        : classesGiven ? config.classes() : 1 << 16, ignoreLabel,
                channelsGiven ? config.inChannels() : LabelledImages.CHANNELS_OF_DATA);
        config = config.withInChannels(all.channels());
        if (labels == LabelCoding.CLASSES && !classesGiven) {
            int k = all.largestClass() + 1;
            if (k < 2) {
                throw new IllegalArgumentException("--labels classes: every label pixel is class 0; class ids start "
                        + "at 0 for background and need at least one other (or pass --classes)");
            }
            all = all.withClasses(k);
            config = config.withClasses(k);
        }
        LOG.info("labels {}: {}", labels, histogram(all.classHistogram()));
        LOG.info("images: {} channel{}{}", all.channels(), all.channels() == 1 ? " (gray)" : "s",
                channelsGiven ? "" : ", from the data");
        if (validation >= all.size()) {
            throw new IllegalArgumentException("--validation " + validation + ": holds out all " + all.size()
                    + " slices; leave at least one for training");
        }
        PrintWriter err = spec.commandLine().getErr();
        List<String> warnings = new java.util.ArrayList<>(all.warnings());
        int largest = all.images().stream().mapToInt(g -> Math.max(g.width(), g.height())).max().orElse(0);
        if (outputTile > 2 * largest) {
            warnings.add("--tile " + inputTile + " gives " + outputTile + "x" + outputTile + " output tiles, more than "
                    + "twice the largest training image (" + largest + " pixels): each step sees mostly mirrored "
                    + "copies; --tile " + config.inputSizeForOutput(largest) + " covers the images");
        }
        LabelledImages train = all.subList(0, all.size() - validation);
        LabelledImages held = all.subList(all.size() - validation, all.size());
        TrainingRecipe recipe = TrainingRecipe.isbi().withNetwork(config, inputTile).withSteps(steps)
                .withBatchAndSeed(batch, seed).withOptimizer(optimizer, lr == null ? Double.NaN : lr, momentum)
                .withWeightMap(noWeightMap ? null : WeightMapConfig.paper().withW0(w0).withSigma(sigma)
                        .withClassBalance(classBalance))
                .withSchedule(validateEvery, checkpointEvery);
        UNet net = recipe.newNetwork();
        // Parameters, their gradients and an optimiser state of up to two arrays per parameter (Adam).
        long extra = 2L * net.parameterCount() * Float.BYTES;
        activations = activationsOption.resolve(computedPrecision, net,
                new long[] {batch, config.inChannels(), inputTile, inputTile}, extra);
        recipe = recipe.withActivations(activations);
        TileMemory.check("--tile", net, inputTile, batch, Mode.TRAIN, extra);
        Optimizer opt = recipe.newOptimizer(net);
        Path ckpt = out.resolve(MODEL);
        if (resume && Files.exists(ckpt)) {
            Checkpoint.load(ckpt).loadInto(net, opt);
            LOG.info("resumed from {} at step {}", ckpt, opt.stepCount());
        }
        Trainer trainer = recipe.trainer(net, opt, train, held, ckpt, Map.of("trainer", "unet train",
                "training.precision", computed, "training.conv_algorithm", precision.algorithm().label(),
                "training.activations", activations.name()));
        // Warnings once the run is known to start; the output folder only once the inputs are good.
        warnings.forEach(w -> warn(err, w));
        Path dir = AtomicFiles.outputFolder(out);
        LOG.info("runtime: {}; activations {}{}", UNetRuntime.describe(), activations,
                activationsOption.auto() ? " (auto: the fastest whose step fits in memory)" : "");
        LOG.info("{} training and {} validation slices; network {} ({} parameters); tiles {} -> {}", train.size(),
                held.size(), config, net.parameterCount(), inputTile, outputTile);
        Path stepsLog = dir.resolve(STEPS_LOG);
        Path validationLog = dir.resolve(VALIDATION_LOG);
        CsvLog log = new CsvLog(stepsLog, validationLog);
        TrainingListener plot = new TrainingListener() {
            @Override
            public void onValidation(long step, Map<String, Double> metrics) {
                drawPlot(stepsLog, validationLog, dir.resolve(PLOT));
            }

            @Override
            public void onTrainingEnd(long step) {
                drawPlot(stepsLog, validationLog, dir.resolve(PLOT));
            }
        };
        MemoryLog memory = memoryLog == null ? null : new MemoryLog(memoryLog);
        if (memory != null) {
            trainer.addListener(memory);
        }
        try {
            trainer.addListener(log).addListener(plot)
                    .addListener(new ProgressBar(err, System.console() != null))
                    .train();
        } finally {
            log.close();
        }
        if (memory != null) {
            // The first fifth, at least 1,000 steps, is the warm-up (the heap's regions are touched
            // for the first time, the buffer pool fills with the validation's shapes).
            LOG.info(memory.trends(Math.max(1000, steps / 5)));
        }
        LOG.info("wrote {}, {}, {} and {}", ckpt, stepsLog, validationLog, dir.resolve(PLOT));
        return 0;
    }

    /** @return e.g. "class 0 62.1%, class 1 37.9% of 786,432 pixels" */
    static String histogram(long[] h) {
        long total = java.util.Arrays.stream(h).sum();
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < h.length; c++) {
            sb.append(c > 0 ? ", " : "").append(String.format(java.util.Locale.ROOT, "class %d %.1f%%", c,
                    total == 0 ? 0 : 100.0 * h[c] / total));
        }
        return sb.append(String.format(" of %,d pixels", total)).toString();
    }

    private static void warn(PrintWriter err, String warning) {
        err.println("unet train: warning: " + warning);
        err.flush();
    }

    /** The plot of the whole run, from the logs (which hold the steps of earlier, resumed-from runs too). */
    private static void drawPlot(Path stepsLog, Path validationLog, Path plot) {
        try {
            CsvLog.Contents c = CsvLog.read(stepsLog, validationLog);
            AtomicFiles.writePng(plot, Plot.render(c.steps(), c.validations()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void checkOptions() {
        OptionChecks.atLeast("--steps", steps, 1);
        OptionChecks.atLeast("--batch", batch, 1);
        OptionChecks.atLeast("--validation", validation, 0);
        OptionChecks.atLeast("--validate-every", validateEvery, 0);
        OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 0);
        if (lr != null) {
            OptionChecks.positive("--lr", lr);
        }
        OptionChecks.fraction("--momentum", momentum);
        OptionChecks.nonNegative("--w0", w0);
        OptionChecks.positive("--sigma", sigma);
        OptionChecks.atLeast("--ignore-label", ignoreLabel, -1);
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite: give one of them (continue the run in "
                    + out + ", or replace it)");
        }
    }

    /** Refuses to replace a previous run's files without --resume or --overwrite. */
    private void checkPreviousRun() {
        if (resume || overwrite) {
            return;
        }
        List<String> found = Stream.of(MODEL, STEPS_LOG, VALIDATION_LOG, PLOT).filter(f -> Files.exists(out.resolve(f)))
                .toList();
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("--out " + out + ": holds a previous run (" + String.join(", ", found)
                    + "); pass --resume to continue it, --overwrite to replace it, or another --out");
        }
    }
}
