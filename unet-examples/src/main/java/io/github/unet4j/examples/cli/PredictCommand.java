package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.train.data.LabelCoding;
import io.github.unet4j.core.infer.OverlapTile;
import io.github.unet4j.core.infer.Watershed;
import io.github.unet4j.core.infer.TilePlan;
import io.github.unet4j.core.runtime.MemoryBudget;
import io.github.unet4j.core.runtime.NativeBackend;
import io.github.unet4j.core.io.ModelFile;
import io.github.unet4j.core.infer.ChannelNormalization;
import io.github.unet4j.train.io.ImageChannels;
import io.github.unet4j.train.listeners.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet predict}: segments images with a trained checkpoint by overlap-tile inference and
 * writes probability maps, label images and an overlay picture, as the checkpoint's label
 * coding asks ({@link PredictionFiles}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Segment images (a folder, an image or a TIFF stack; for a model of several input channels, "
                + "RGB images or TIFFs whose pages are the channels) with a checkpoint written by 'unet train'. "
                + "Writes probability maps and label images as the model's labels were coded: binary (cell "
                + "probability, white = cell; labels 0 membrane, 255 cell), class ids (a probability map per class; "
                + "the class map as a palette PNG) or instances (object probability; a 16-bit instance image); and an "
                + "overlay of the "
                + "first image.")
public final class PredictCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(PredictCommand.class);

    /** Probability map formats. */
    enum Format { PNG, TIFF }

    /** What runs the network on each tile. */
    enum Engine { UNET4J, ONNXRUNTIME }

    @picocli.CommandLine.Mixin
    PrecisionOption precision = new PrecisionOption("fp32", "auto");

    @Option(names = "--checkpoint", description = "Checkpoint, or an .onnx model or bioimage.io package that unet "
            + "export wrote (default: ${DEFAULT-VALUE}).")
    Path checkpoint = Path.of("runs", "isbi", "model.zip");

    @Option(names = "--input", description = "Image folder, image or TIFF stack (default: ${DEFAULT-VALUE}).")
    Path input = Path.of("data", "isbi2012", "test");

    @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "isbi", "test");

    @Option(names = "--tile", description = "Input tile size (default: chosen per image, see --tile-memory; the "
            + "maps are the same with every tile of a VALID network).")
    Integer tile;

    @Option(names = "--batch", description = "Tiles per forward pass (default: ${DEFAULT-VALUE}).")
    int batch = 2;

    @Option(names = "--engine", description = "unet4j (its own forward on ND4J and oneDNN) or onnxruntime (the "
            + "network exported to ONNX and run by ONNX Runtime on the CPU); the same overlap-tile code either way "
            + "(default: ${DEFAULT-VALUE}).")
    Engine engine = Engine.UNET4J;

    @Option(names = "--tile-memory", description = "Without --tile, the tile is chosen per image for the least "
            + "work (the fewest input pixels; one tile covering the image where it fits) within this many MiB for a "
            + "batch of tiles (default: the free memory).")
    Long tileMemory;

    @Option(names = "--tta", description = "Average over the 8 flips and quarter turns (8x slower).")
    boolean tta;

    @Option(names = "--format", description = "Probability maps as PNG (8-bit) or TIFF (32-bit float) "
            + "(default: ${DEFAULT-VALUE}).")
    Format format = Format.PNG;

    @Option(names = "--watershed", description = "Objects by a seeded watershed on the foreground probability "
            + "(seeds where it is above 0.9, objects of at least --min-size pixels) instead of connected components: "
            + "keeps touching objects apart across gaps of a pixel or two in the predicted boundary. Instance models: "
            + "labels/ holds its objects; binary models: also segments/ (cells as ids, 0 = membrane).")
    boolean watershed;

    @Option(names = "--min-size", description = "With --watershed, objects of fewer pixels are dropped "
            + "(default: ${DEFAULT-VALUE}).")
    int minSize = 10;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (precision.apply() != io.github.unet4j.core.ops.Precision.FP32 && engine == Engine.ONNXRUNTIME) {
            throw new IllegalArgumentException("--precision bf16: the onnxruntime engine runs float32 only; leave "
                    + "--precision out or use --engine unet4j");
        }
        ModelFile ck = ModelInput.read(checkpoint);
        UNet net = ck.toNetwork(DataType.FLOAT);
        ChannelNormalization norm = ChannelNormalization.fromMetadata(ck.metadata());
        OptionChecks.atLeast("--batch", batch, 1);
        OptionChecks.atLeast("--min-size", minSize, 1);
        if (norm.count() != net.config().inChannels()) {
            throw new IllegalArgumentException(checkpoint + ": the network takes " + net.config().inChannels()
                    + " input channels but its metadata normalises " + norm.count() + "; the checkpoint is damaged "
                    + "or was not written by unet train");
        }
        LabelCoding coding = codingOf(ck, net.config().classes());
        if (watershed && coding == LabelCoding.CLASSES) {
            throw new IllegalArgumentException("--watershed: splits objects of binary or instance models; "
                    + checkpoint + " was trained on class ids");
        }
        int inputTile = tile != null ? tile : Integer.parseInt(ck.metadata().getOrDefault("tile",
                Integer.toString(net.config().inputSizeForOutput(200))));
        OptionChecks.tile(tile != null ? "--tile" : "the checkpoint's tile", net.config(), inputTile);
        InputImages images = InputImages.read(input, net.config().inChannels());
        for (int i = 0; i < images.images().size(); i++) { // every image before anything is written
            normalized(norm, images.images().get(i), images.sources().get(i), true);
        }
        int[] tiles = tiles(net, inputTile, images);
        Path dir = AtomicFiles.outputFolder(out);
        PredictionFiles files = new PredictionFiles(dir, coding, format == Format.TIFF, watershed
                ? new Watershed.Config(0.5, 0.9, minSize) : null);
        LOG.info("engine: {}", engine == Engine.ONNXRUNTIME ? "ONNX Runtime (CPU)" : NativeBackend.describe());
        try (TileModels models = new TileModels(net, engine == Engine.ONNXRUNTIME, tta)) {
            segment(images, tiles, norm, coding, files, models);
        }
        LOG.info("wrote {} probability maps and labels ({}) to {}", images.images().size(), coding, dir);
        return 0;
    }

    /**
     * The tile for each image: --tile if given (the covering tile where it is larger than the
     * images need), else the one of least work within the memory budget ({@link TilePlan}); every
     * tile's memory checked before anything is written.
     */
    private int[] tiles(UNet net, int trainingTile, InputImages images) {
        UNetConfig config = net.config();
        long budget = tileMemory != null ? tileMemory * (1L << 20) : MemoryBudget.availableBytes();
        if (tileMemory != null) {
            OptionChecks.atLeast("--tile-memory", tileMemory, 1);
        }
        int[] tiles = new int[images.images().size()];
        java.util.Set<Integer> checked = new java.util.HashSet<>();
        // A folder's images are mostly of one size: one plan per size (each tries every valid tile).
        java.util.Map<java.util.List<Integer>, Integer> bySize = new java.util.HashMap<>();
        for (int i = 0; i < tiles.length; i++) {
            ImageChannels g = images.images().get(i);
            if (tile != null) {
                // With valid convolutions each output pixel sees only its own window of the mirrored
                // image, so a smaller tile gives the same maps; a far larger one only costs time.
                int covering = config.inputSizeForOutput(Math.max(g.width(), g.height()));
                tiles[i] = config.padding() == Padding.VALID ? Math.min(tile, covering) : tile;
            } else {
                tiles[i] = bySize.computeIfAbsent(java.util.List.of(g.width(), g.height()), wh -> {
                    TilePlan plan = TilePlan.choose(config, trainingTile, g.width(), g.height(), batch,
                            (t, b) -> net.peakBytes(new long[] {b, config.inChannels(), t, t}, Mode.INFER), budget);
                    TilePlan training = TilePlan.of(config, trainingTile, g.width(), g.height());
                    LOG.info("{}x{} images: tile {} ({} tile(s), {} M input pixels; the training tile {}: {} tile(s), "
                            + "{} M)", g.width(), g.height(), plan.tile(), plan.tiles(),
                            String.format("%.2f", plan.inputPixels() / 1e6), trainingTile, training.tiles(),
                            String.format("%.2f", training.inputPixels() / 1e6));
                    return plan.tile();
                });
            }
            if (checked.add(tiles[i])) {
                if (tileMemory != null) {
                    TileMemory.check(tile != null ? "--tile" : "--tile-memory", net, tiles[i], batch, Mode.INFER, 0,
                            budget, "--tile-memory " + tileMemory);
                } else {
                    TileMemory.check(tile != null ? "--tile" : "the chosen tile", net, tiles[i], batch, Mode.INFER, 0);
                }
            }
        }
        return tiles;
    }

    private void segment(InputImages images, int[] tiles, ChannelNormalization norm, LabelCoding coding,
            PredictionFiles files, TileModels models) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        for (int i = 0; i < images.images().size(); i++) {
            ImageChannels g = images.images().get(i);
            String name = images.names().get(i);
            OverlapTile tiler = new OverlapTile(models.get(tiles[i]), batch);
            float[][] p = tiler.predict(normalized(norm, g, images.sources().get(i), false), g.width(), g.height());
            long found = files.write(name, g, p, i == 0);
            double el = (System.nanoTime() - t0) / 1e9;
            err.printf("segmented %d/%d %s%s (%.1f s, eta %s)%n", i + 1, images.images().size(), name,
                    coding == LabelCoding.INSTANCES ? ": " + found + " objects" : "", el,
                    Progress.clock(el / (i + 1) * (images.images().size() - i - 1)));
            err.flush();
        }
    }

    /**
     * @return the label coding the checkpoint was trained on (its "labels" metadata; checkpoints
     *         without it are binary, or class ids when they have more than 2 classes)
     */
    private LabelCoding codingOf(ModelFile ck, int classes) {
        String stored = ck.metadata().get("labels");
        LabelCoding c;
        try {
            c = stored == null ? (classes == 2 ? LabelCoding.BINARY : LabelCoding.CLASSES)
                    : LabelCoding.valueOf(stored.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpoint + ": metadata labels = '" + stored + "' is not binary, "
                    + "classes or instances", e);
        }
        if (c != LabelCoding.CLASSES && classes != 2) {
            throw new IllegalArgumentException(checkpoint + ": " + c + " labels need a 2-class network, this one has "
                    + classes);
        }
        return c;
    }

    private float[][] normalized(ChannelNormalization norm, ImageChannels g, String source, boolean checkOnly) {
        try {
            if (checkOnly) {
                norm.checkRange(g.forNormalization());
                return null;
            }
            return norm.apply(g.forNormalization());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " (" + g.describe() + "): " + e.getMessage() + " (checkpoint "
                    + checkpoint + ")", e);
        }
    }
}
