package io.github.unet4j.core.bioimageio;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.infer.ChannelNormalization;
import io.github.unet4j.core.infer.Normalization;
import io.github.unet4j.core.io.AtomicFile;
import io.github.unet4j.core.io.Npy;
import io.github.unet4j.core.onnx.OnnxExport;
import io.github.unet4j.core.ops.Softmax;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes a bioimage.io model package (format 0.5): a zip holding {@code rdf.yaml}, the ONNX
 * weights ({@link OnnxExport}, with the softmax head, batch norm as nodes), a test input and the output unet4j
 * computes for it, a cover picture and the documentation, each named with its sha256 in the
 * {@code rdf.yaml}. deepImageJ (Fiji), bioimageio.core and other consumers run such packages.
 *
 * <p>The package's input is the raw image (any intensity scale); its preprocessing is
 * {@code ensure_dtype float32}, then {@code fixed_zero_mean_unit_variance} with the checkpoint's
 * normalisation expressed in raw units ({@code mean * fullScale}, {@code std * fullScale}, per
 * channel), which is what {@link Normalization#apply} does to an image of that full scale. The
 * output is the per-class softmax. The spatial sizes follow the configuration's size rule
 * ({@code {min, step}}), and the output's size is the input's plus a (negative) offset.
 */
public final class BioimageioPackage {
    /** The bioimage.io format version written. */
    public static final String FORMAT_VERSION = "0.5.4";
    /** The paper, cited in every package. */
    public static final Cite PAPER = new Cite("Ronneberger, O., Fischer, P., Brox, T.: U-Net: Convolutional Networks "
            + "for Biomedical Image Segmentation. MICCAI 2015", "10.1007/978-3-319-24574-4_28", null);
    /** Tolerances the test output is reproduced within (written into the package, used by the check). */
    public static final double ABSOLUTE_TOLERANCE = 1e-4;
    /** See {@link #ABSOLUTE_TOLERANCE}. */
    public static final double RELATIVE_TOLERANCE = 1e-3;

    /** Names of the files in the package. */
    static final String RDF = "rdf.yaml";
    static final String WEIGHTS = "weights.onnx";
    static final String TEST_INPUT = "test_input.npy";
    static final String TEST_OUTPUT = "test_output.npy";
    static final String COVER = "cover.png";
    static final String DOCUMENTATION = "README.md";

    /**
     * A citation.
     *
     * @param text what is cited
     * @param doi  its DOI, or null
     * @param url  its address, or null (one of the two must be set)
     */
    public record Cite(String text, String doi, String url) {
        /** Validates. */
        public Cite {
            if (text == null || text.isBlank() || (doi == null && url == null)) {
                throw new IllegalArgumentException("bioimage.io cite: needs a text and a doi or url, got " + text
                        + ", " + doi + ", " + url);
            }
        }
    }

    /**
     * What the package says about the model.
     *
     * @param name          a short name (the package's title)
     * @param description   one or two sentences
     * @param authors       the authors' names, at least one
     * @param license       an SPDX identifier, e.g. {@code MIT}, {@code CC-BY-4.0}
     * @param cites         citations besides the paper (the data set, say)
     * @param tags          search tags
     * @param documentation Markdown appended to the generated documentation (training, data terms)
     */
    public record Description(String name, String description, List<String> authors, String license,
            List<Cite> cites, List<String> tags, String documentation) {
        /** Validates and copies. */
        public Description {
            require(name, "name");
            require(description, "description");
            require(license, "license");
            if (authors == null || authors.isEmpty() || authors.stream().anyMatch(a -> a == null || a.isBlank())) {
                throw new IllegalArgumentException("bioimage.io package: at least one author's name is needed, got "
                        + authors + "; give --author NAME");
            }
            authors = List.copyOf(authors);
            cites = List.copyOf(cites);
            tags = List.copyOf(tags);
            documentation = documentation == null ? "" : documentation;
        }
    }

    /**
     * Everything a package is made from.
     *
     * @param net           the network (float)
     * @param normalization the input normalisation it was trained with
     * @param fullScale     the full scale of the images it will be given (255 for 8-bit, 65535
     *                      for 16-bit, 1 for float images in [0, 1])
     * @param testInput     a raw image {@code [1, C, H, W]}, H and W valid sizes
     * @param description   the texts
     * @param metadata      written into the ONNX model's metadata (the checkpoint's, say)
     */
    public record Contents(UNet net, ChannelNormalization normalization, double fullScale, INDArray testInput,
            Description description, Map<String, String> metadata) {
        /** Validates. */
        public Contents {
            Objects.requireNonNull(net, "net");
            Objects.requireNonNull(normalization, "normalization");
            Objects.requireNonNull(testInput, "testInput");
            Objects.requireNonNull(description, "description");
            metadata = Map.copyOf(metadata);
            if (!(fullScale > 0) || Double.isInfinite(fullScale)) {
                throw new IllegalArgumentException("bioimage.io package: full scale must be finite and > 0, got "
                        + fullScale);
            }
            if (normalization.count() != net.config().inChannels()) {
                throw new IllegalArgumentException("bioimage.io package: the normalisation has " + normalization.count()
                        + " channels, the network takes " + net.config().inChannels());
            }
            long[] s = testInput.shape();
            if (s.length != 4 || s[0] != 1) {
                throw new IllegalArgumentException("bioimage.io package: the test input must be [1, C, H, W], got "
                        + java.util.Arrays.toString(s));
            }
            net.outputShape(s); // names the nearest valid sizes if H or W is not one
        }
    }

    private BioimageioPackage() {
    }

    /**
     * Writes the package through a temporary file and an atomic rename.
     *
     * @param zip      the {@code .zip} to write
     * @param contents what goes in
     * @throws IOException naming the file and what went wrong
     */
    public static void write(Path zip, Contents contents) throws IOException {
        Map<String, byte[]> files = files(contents);
        AtomicFile.write(zip, temp -> {
            try (OutputStream os = Files.newOutputStream(temp); ZipOutputStream z = new ZipOutputStream(os)) {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    z.putNextEntry(new ZipEntry(f.getKey()));
                    z.write(f.getValue());
                    z.closeEntry();
                }
            }
        }, IOException.class, (p, problem, cause) -> new IOException(p + ": " + problem, cause));
    }

    /**
     * @param contents what goes in
     * @return the package's files by name, {@code rdf.yaml} first
     */
    static Map<String, byte[]> files(Contents contents) {
        UNet net = contents.net();
        INDArray raw = contents.testInput().castTo(DataType.FLOAT);
        INDArray probabilities = Softmax.probabilities(net.forward(normalized(contents, raw), Mode.INFER));
        Map<String, byte[]> files = new LinkedHashMap<>();
        // Batch norm as nodes: the initializers are then the state dict, and unet4j reads the package back.
        files.put(WEIGHTS, OnnxExport.toBytes(net, OnnxExport.Options.defaults().withSoftmax(true)
                .withMetadata(contents.metadata())));
        files.put(TEST_INPUT, Npy.write(raw));
        files.put(TEST_OUTPUT, Npy.write(probabilities));
        files.put(COVER, cover(raw, probabilities));
        files.put(DOCUMENTATION, documentation(contents).getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put(RDF, Yaml.write(rdf(contents, files)).getBytes(StandardCharsets.UTF_8));
        all.putAll(files);
        return all;
    }

    /** The test input as unet4j normalises it for its own forward. */
    private static INDArray normalized(Contents c, INDArray raw) {
        long[] s = raw.shape();
        List<Normalization.Image> channels = new ArrayList<>();
        for (int ch = 0; ch < s[1]; ch++) {
            channels.add(new Normalization.Image(raw.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(ch)).dup('c').data().asFloat(), c.fullScale()));
        }
        float[][] norm = c.normalization().apply(channels);
        INDArray x = Nd4j.create(DataType.FLOAT, s);
        for (int ch = 0; ch < s[1]; ch++) {
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(ch))
                    .assign(Nd4j.create(norm[ch], new long[] {s[2], s[3]}, 'c'));
        }
        return x;
    }

    private static Map<String, Object> rdf(Contents c, Map<String, byte[]> files) {
        UNetConfig config = c.net().config();
        Description d = c.description();
        int min = config.validInputSizeAtLeast(1);
        int step = config.inputSizeStep();
        int offset = -config.outputShrink();
        Map<String, Object> rdf = new LinkedHashMap<>();
        rdf.put("format_version", FORMAT_VERSION);
        rdf.put("type", "model");
        rdf.put("name", d.name());
        rdf.put("description", d.description());
        rdf.put("authors", d.authors().stream().map(a -> (Object) ordered("name", a)).toList());
        List<Object> cites = new ArrayList<>();
        for (Cite cite : concat(List.of(PAPER), d.cites())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text", cite.text());
            if (cite.doi() != null) {
                m.put("doi", cite.doi());
            }
            if (cite.url() != null) {
                m.put("url", cite.url());
            }
            cites.add(m);
        }
        rdf.put("cite", cites);
        rdf.put("license", d.license());
        rdf.put("tags", concat(List.of("unet", "segmentation", "unet4j"), d.tags()));
        rdf.put("documentation", DOCUMENTATION);
        rdf.put("covers", List.of(COVER));
        rdf.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());

        List<String> channelNames = new ArrayList<>();
        for (int i = 0; i < config.inChannels(); i++) {
            channelNames.add("channel" + i);
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("id", "raw");
        input.put("description", "the raw image, intensities of full scale " + number(c.fullScale()));
        input.put("axes", List.of(ordered("type", "batch"), channelAxis(channelNames),
                space("y", ordered("min", min, "step", step)), space("x", ordered("min", min, "step", step))));
        input.put("test_tensor", file(TEST_INPUT, files));
        input.put("data", ordered("type", "float32"));
        input.put("preprocessing", List.of(ordered("id", "ensure_dtype", "kwargs", ordered("dtype", "float32")),
                ordered("id", "fixed_zero_mean_unit_variance", "kwargs", normalizationKwargs(c))));

        List<String> classNames = new ArrayList<>();
        for (int i = 0; i < config.classes(); i++) {
            classNames.add("class" + i);
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("id", "probabilities");
        output.put("description", "per-class softmax probabilities");
        output.put("axes", List.of(ordered("type", "batch"), channelAxis(classNames),
                space("y", reference("y", offset)), space("x", reference("x", offset))));
        output.put("test_tensor", file(TEST_OUTPUT, files));
        output.put("data", ordered("type", "float32", "range", List.of(0.0, 1.0)));
        rdf.put("inputs", List.of(input));
        rdf.put("outputs", List.of(output));

        Map<String, Object> onnx = new LinkedHashMap<>(file(WEIGHTS, files));
        onnx.put("opset_version", 13);
        rdf.put("weights", ordered("onnx", onnx));
        rdf.put("config", ordered("bioimageio", ordered("reproducibility_tolerance", List.of(ordered(
                "absolute_tolerance", ABSOLUTE_TOLERANCE, "relative_tolerance", RELATIVE_TOLERANCE)))));
        return rdf;
    }

    private static Map<String, Object> normalizationKwargs(Contents c) {
        int n = c.normalization().count();
        List<Object> means = new ArrayList<>();
        List<Object> stds = new ArrayList<>();
        for (int ch = 0; ch < n; ch++) {
            Normalization norm = c.normalization().channels().get(ch);
            means.add(norm.mean() * c.fullScale());
            stds.add(norm.std() * c.fullScale());
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        if (n == 1) {
            kwargs.put("mean", means.get(0));
            kwargs.put("std", stds.get(0));
        } else {
            kwargs.put("mean", means);
            kwargs.put("std", stds);
            kwargs.put("axis", "channel");
        }
        return kwargs;
    }

    private static Map<String, Object> channelAxis(List<String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "channel");
        m.put("channel_names", names);
        return m;
    }

    private static Map<String, Object> space(String id, Map<String, Object> size) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "space");
        m.put("id", id);
        m.put("size", size);
        return m;
    }

    private static Map<String, Object> reference(String axis, int offset) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tensor_id", "raw");
        m.put("axis_id", axis);
        m.put("offset", offset);
        return m;
    }

    private static Map<String, Object> file(String name, Map<String, byte[]> files) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", name);
        m.put("sha256", sha256(files.get(name)));
        return m;
    }

    /**
     * @param bytes a file's contents
     * @return its SHA-256, lower-case hex
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static String documentation(Contents c) {
        UNetConfig config = c.net().config();
        int min = config.validInputSizeAtLeast(1);
        int step = config.inputSizeStep();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(c.description().name()).append("\n\n").append(c.description().description())
                .append("\n\n## Network\n\nA U-Net (Ronneberger, Fischer and Brox, MICCAI 2015) trained with unet4j: ")
                .append(config.inChannels()).append(" input channel(s), ").append(config.classes())
                .append(" classes, depth ").append(config.depth()).append(", ").append(config.baseChannels())
                .append(" channels in the first level, ").append(config.padding()).append(" padding, ")
                .append(config.batchNorm() ? "batch norm, " : "")
                .append(config.upsampling().name().toLowerCase(java.util.Locale.ROOT)).append(" up-sampling, ")
                .append(c.net().parameterCount()).append(" parameters.\n\n")
                .append("## Input and output\n\n- Input `raw`: `[batch, ").append(config.inChannels())
                .append(", y, x]`, the raw image (full scale ").append(number(c.fullScale()))
                .append("); y and x must be ").append(min).append(" + k * ").append(step).append(".\n")
                .append("- Preprocessing: to float32, then `(raw - mean) / std` per channel with the training data's "
                        + "mean and standard deviation in raw units (in `rdf.yaml`).\n")
                .append("- Output `probabilities`: `[batch, ").append(config.classes())
                .append(", y, x]`, softmax over the classes, ").append(config.outputShrink())
                .append(" pixels smaller than the input along y and x")
                .append(config.padding() == Padding.VALID ? " (the centre: segment large images by overlapping tiles "
                        + "with mirrored borders, as the paper does).\n" : ".\n")
                .append("\n## Files\n\n- `weights.onnx`: ONNX IR 7, opset 13, float32.\n"
                        + "- `test_input.npy` / `test_output.npy`: a raw input and the output unet4j computes for it.\n");
        if (!c.description().documentation().isBlank()) {
            md.append('\n').append(c.description().documentation().strip()).append('\n');
        }
        return md.toString();
    }

    /** Input (left, stretched to 0..255) and the last class's probability (right), at the output's size. */
    private static byte[] cover(INDArray raw, INDArray probabilities) {
        long[] o = probabilities.shape();
        long[] s = raw.shape();
        int h = (int) o[2];
        int w = (int) o[3];
        int top = (int) (s[2] - h) / 2;
        int left = (int) (s[3] - w) / 2;
        float[] in = raw.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).dup('c').data().asFloat();
        float[] p = probabilities.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(o[1] - 1)).dup('c').data().asFloat();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : in) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float range = hi > lo ? hi - lo : 1;
        BufferedImage img = new BufferedImage(2 * w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = Math.round(255 * (in[(y + top) * (int) s[3] + x + left] - lo) / range);
                int q = Math.round(255 * Math.min(1, Math.max(0, p[y * w + x])));
                img.getRaster().setSample(x, y, 0, g);
                img.getRaster().setSample(w + x, y, 0, q);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new IllegalStateException("bioimage.io package: could not encode the cover PNG", e);
        }
        return bytes.toByteArray();
    }

    /** @return a map of the key-value pairs in their order (YAML is written in it) */
    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("bioimage.io package: the " + field + " is empty; give --" + field);
        }
    }
}
