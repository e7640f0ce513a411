package io.github.unet4j.examples.cli;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.bioimageio.BioimageioPackage;
import io.github.unet4j.core.infer.ChannelNormalization;
import io.github.unet4j.core.io.ModelFile;
import io.github.unet4j.core.onnx.OnnxExport;
import io.github.unet4j.train.io.ImageChannels;
import io.github.unet4j.train.io.ImageIoException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet export}: a checkpoint as an ONNX model, or as a bioimage.io package (ONNX weights,
 * test tensors, preprocessing, cover, documentation) for deepImageJ, bioimageio.core and others.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a checkpoint as an ONNX model (--format onnx) or a bioimage.io model package "
                + "(--format bioimageio: a zip with rdf.yaml, ONNX weights with a softmax head, a test input cut from "
                + "--test-image and its output, a cover and README.md). See docs/interop.md.")
public final class ExportCommand implements Callable<Integer> {

    /** What to write. */
    enum Format { ONNX, BIOIMAGEIO }

    @Option(names = "--checkpoint", description = "Checkpoint (default: ${DEFAULT-VALUE}).")
    Path checkpoint = Path.of("runs", "isbi", "model.zip");

    @Option(names = "--format", description = "onnx or bioimageio (default: ${DEFAULT-VALUE}).")
    Format format = Format.ONNX;

    @Option(names = "--out", description = "File to write (default: beside the checkpoint, model.onnx or "
            + "model.bioimageio.zip).")
    Path out;

    @Option(names = "--softmax", description = "onnx: end in Softmax over the classes, so the output is "
            + "probabilities (bioimageio packages always do).")
    boolean softmax;

    @Option(names = "--fold-batch-norm", description = "onnx: fold batch norm into the convolutions instead of "
            + "BatchNormalization nodes (bioimageio packages always fold).")
    boolean foldBatchNorm;

    @Option(names = "--test-image", description = "bioimageio: an image like the training images; the package's "
            + "test input is its centre, of the training tile's size or the largest valid size that fits.")
    Path testImage;

    @Option(names = "--name", description = "bioimageio: the model's name (default: ${DEFAULT-VALUE}).")
    String name = "unet4j U-Net";

    @Option(names = "--description", description = "bioimageio: one or two sentences (default: a U-Net segmenting "
            + "into the checkpoint's classes).")
    String description;

    @Option(names = "--author", description = "bioimageio: an author's name; repeat for several (required).")
    List<String> authors = new ArrayList<>();

    @Option(names = "--license", description = "bioimageio: SPDX license of the weights (default: ${DEFAULT-VALUE}).")
    String license = "MIT";

    @Option(names = "--cite", description = "bioimageio: another citation as TEXT|DOI-or-URL (the data set, say); "
            + "repeatable. The U-Net paper is always cited.")
    List<String> cites = new ArrayList<>();

    @Option(names = "--documentation", description = "bioimageio: a Markdown file appended to the generated "
            + "README.md (training, data terms).")
    Path documentation;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter log = spec.commandLine().getErr();
        ModelFile model = ModelInput.read(checkpoint);
        UNet net = model.toNetwork(DataType.FLOAT);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("unet4j.checkpoint.step", Long.toString(model.step()));
        model.metadata().forEach((k, v) -> metadata.put("unet4j.checkpoint." + k, v));
        Path target = out != null ? out : sibling(format == Format.ONNX ? "model.onnx" : "model.bioimageio.zip");
        if (format == Format.ONNX) {
            OnnxExport.write(net, target, OnnxExport.Options.defaults().withSoftmax(softmax)
                    .withBatchNorm(foldBatchNorm ? OnnxExport.BatchNorm.FOLDED : OnnxExport.BatchNorm.NODES)
                    .withMetadata(metadata));
        } else {
            BioimageioPackage.write(target, bioimageio(model, net, metadata));
        }
        log.println("wrote " + target + " (" + Files.size(target) + " bytes)");
        log.flush();
        return 0;
    }

    private Path sibling(String fileName) {
        Path parent = checkpoint.toAbsolutePath().getParent();
        return parent == null ? Path.of(fileName) : parent.resolve(fileName);
    }

    private BioimageioPackage.Contents bioimageio(ModelFile model, UNet net, Map<String, String> metadata)
            throws IOException {
        if (testImage == null) {
            throw new IllegalArgumentException("--format bioimageio needs --test-image IMAGE, an image like the "
                    + "training images (the package's test input is cut from it)");
        }
        if (authors.isEmpty()) {
            throw new IllegalArgumentException("--format bioimageio needs --author NAME (repeat for several)");
        }
        UNetConfig config = net.config();
        ChannelNormalization norm = ChannelNormalization.fromMetadata(model.metadata());
        ImageChannels image = readTestImage(config.inChannels());
        List<io.github.unet4j.core.infer.Normalization.Image> raw = image.forNormalization();
        double fullScale = raw.get(0).fullScale();
        norm.checkRange(raw);
        int tile = tileFor(model, config, image);
        INDArray input = crop(raw, image.height(), image.width(), tile);
        List<BioimageioPackage.Cite> extra = new ArrayList<>();
        for (String c : cites) {
            int bar = c.lastIndexOf('|');
            if (bar <= 0 || bar == c.length() - 1) {
                throw new IllegalArgumentException("--cite '" + c + "': expected TEXT|DOI or TEXT|URL");
            }
            String ref = c.substring(bar + 1).strip();
            boolean url = ref.startsWith("http://") || ref.startsWith("https://");
            extra.add(new BioimageioPackage.Cite(c.substring(0, bar).strip(), url ? null : ref, url ? ref : null));
        }
        String docs = documentation == null ? "" : readDocumentation();
        String text = description != null ? description : "A U-Net (Ronneberger et al. 2015) trained with unet4j, "
                + "segmenting " + config.inChannels() + "-channel images into " + config.classes() + " classes.";
        return new BioimageioPackage.Contents(net, norm, fullScale, input, new BioimageioPackage.Description(name,
                text, authors, license, extra, List.of(), docs), metadata);
    }

    private ImageChannels readTestImage(int channels) throws IOException {
        try {
            InputImages images = InputImages.read(testImage, channels);
            return images.images().get(0);
        } catch (ImageIoException e) {
            throw new IllegalArgumentException("--test-image: " + e.getMessage(), e);
        }
    }

    private String readDocumentation() throws IOException {
        if (!Files.isRegularFile(documentation)) {
            throw new IllegalArgumentException("--documentation " + documentation + ": no such file; give a Markdown "
                    + "file");
        }
        return Files.readString(documentation);
    }

    /** The training tile if it fits the image, else the largest valid size that does. */
    private int tileFor(ModelFile model, UNetConfig config, ImageChannels image) {
        int fits = Math.min(image.height(), image.width());
        int tile = -1;
        String stored = model.metadata().get("tile");
        if (stored != null && stored.matches("\\d+") && Integer.parseInt(stored) <= fits) {
            tile = Integer.parseInt(stored);
        }
        if (tile < 0 || !config.isValidInputSize(tile)) {
            tile = config.validInputSizeAtMost(fits);
        }
        if (tile < 0) {
            throw new IllegalArgumentException("--test-image " + testImage + ": " + image.width() + "x"
                    + image.height() + " is smaller than the smallest input the network takes ("
                    + config.validInputSizeAtLeast(1) + "); give a larger image");
        }
        return tile;
    }

    private static INDArray crop(List<io.github.unet4j.core.infer.Normalization.Image> raw, int h, int w, int tile) {
        INDArray x = Nd4j.create(DataType.FLOAT, 1, raw.size(), tile, tile);
        int top = (h - tile) / 2;
        int left = (w - tile) / 2;
        for (int c = 0; c < raw.size(); c++) {
            INDArray full = Nd4j.create(raw.get(c).raw(), new long[] {h, w}, 'c');
            x.get(NDArrayIndex.point(0), NDArrayIndex.point(c)).assign(full.get(NDArrayIndex.interval(top, top + tile),
                    NDArrayIndex.interval(left, left + tile)));
        }
        return x;
    }
}
