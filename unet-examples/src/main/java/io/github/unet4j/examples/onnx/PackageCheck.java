package io.github.unet4j.examples.onnx;

import io.github.unet4j.core.bioimageio.BioimageioPackage;
import io.github.unet4j.core.io.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks a bioimage.io model package (format 0.5, ONNX weights) the way bioimageio.core's
 * {@code test_model} does, in Java (the Python tool cannot be installed here): reads
 * {@code rdf.yaml}, checks the required fields and every file's sha256, checks the test tensors'
 * shapes against the declared axes (a size rule {@code {min, step}}, an output size given as
 * another axis plus an offset), then runs the test input through the declared preprocessing
 * and the ONNX weights in ONNX Runtime and compares with the test output within the package's
 * reproducibility tolerance (numpy's {@code allclose}: {@code |a - b| <= abs + rel |b|}).
 *
 * <p>Supported preprocessing: {@code ensure_dtype} (float32), {@code fixed_zero_mean_unit_variance}
 * (one value, or one per channel along {@code axis: channel}), {@code scale_linear} (one gain and
 * offset); anything else is refused by name, never skipped.
 */
public final class PackageCheck {
    private static final double DEFAULT_ABSOLUTE = 1e-4;
    private static final double DEFAULT_RELATIVE = 1e-3;

    /**
     * What a passed check found.
     *
     * @param name          the package's name
     * @param files         the files checked against their sha256
     * @param inputShape    the test input's shape
     * @param outputShape   the test output's shape
     * @param maxDifference the largest |ONNX Runtime - test output|
     * @param tolerance     the absolute and relative tolerance used
     */
    public record Result(String name, List<String> files, long[] inputShape, long[] outputShape, double maxDifference,
            double[] tolerance) {
    }

    private final Path zip;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<String> hashed = new ArrayList<>();

    private PackageCheck(Path zip) {
        this.zip = zip;
    }

    /**
     * @param zip a package
     * @return what was checked
     * @throws IOException              if the zip cannot be read
     * @throws IllegalArgumentException naming the package and the first problem
     */
    public static Result check(Path zip) throws IOException {
        return new PackageCheck(zip).run();
    }

    private Result run() throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                try (InputStream in = z.getInputStream(e)) {
                    files.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw fail("not a zip file (" + e.getMessage() + ")");
        }
        byte[] rdfBytes = files.get("rdf.yaml");
        if (rdfBytes == null) {
            throw fail("no rdf.yaml at the zip's root");
        }
        Object parsed;
        try {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(rdfBytes,
                    StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw fail("rdf.yaml is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, Object> rdf = map(parsed, "rdf.yaml");
        requireEquals(rdf, "type", "model");
        String version = string(rdf, "format_version");
        if (!version.startsWith("0.5")) {
            throw fail("format_version is " + version + "; this check reads format 0.5");
        }
        String name = string(rdf, "name");
        string(rdf, "description");
        string(rdf, "license");
        List<Object> authors = list(rdf, "authors");
        for (int i = 0; i < authors.size(); i++) {
            string(map(authors.get(i), "authors[" + i + "]"), "name");
        }
        List<Object> cites = list(rdf, "cite");
        for (int i = 0; i < cites.size(); i++) {
            Map<String, Object> c = map(cites.get(i), "cite[" + i + "]");
            string(c, "text");
            if (!c.containsKey("doi") && !c.containsKey("url")) {
                throw fail("cite[" + i + "] has neither doi nor url");
            }
        }
        String doc = string(rdf, "documentation");
        if (!doc.endsWith(".md")) {
            throw fail("documentation " + doc + " is not a .md file");
        }
        file(doc, null);
        if (rdf.get("covers") instanceof List<?> covers) {
            for (Object c : covers) {
                file(String.valueOf(c), null);
            }
        }
        Map<String, Object> input = map(single(rdf, "inputs"), "inputs[0]");
        Map<String, Object> output = map(single(rdf, "outputs"), "outputs[0]");
        Map<String, Object> onnx = map(map(rdf.get("weights"), "weights").get("onnx"), "weights.onnx");
        if (!(onnx.get("opset_version") instanceof Integer opset) || opset < 7) {
            throw fail("weights.onnx.opset_version is missing or not an opset number: " + onnx.get("opset_version"));
        }
        byte[] weights = tensorFile(onnx, "weights.onnx");
        INDArray testIn = npy(tensorFile(map(input.get("test_tensor"), "inputs[0].test_tensor"), "inputs[0].test_tensor"),
                "inputs[0].test_tensor");
        INDArray testOut = npy(tensorFile(map(output.get("test_tensor"), "outputs[0].test_tensor"),
                "outputs[0].test_tensor"), "outputs[0].test_tensor");
        String inputId = string(input, "id");
        Map<String, Long> inputSizes = checkAxes(list(input, "axes"), testIn.shape(), "inputs[0]", inputId, Map.of());
        checkAxes(list(output, "axes"), testOut.shape(), "outputs[0]", inputId, inputSizes);

        INDArray x = preprocess(testIn, input);
        INDArray actual;
        try (OrtModel model = new OrtModel(weights, 0)) {
            actual = model.run(x);
        }
        if (!java.util.Arrays.equals(actual.shape(), testOut.shape())) {
            throw fail("ONNX Runtime's output has shape " + java.util.Arrays.toString(actual.shape())
                    + ", the test output " + java.util.Arrays.toString(testOut.shape()));
        }
        double[] tol = tolerance(rdf);
        INDArray expected = testOut.castTo(DataType.DOUBLE);
        INDArray diff = Transforms.abs(actual.castTo(DataType.DOUBLE).sub(expected), false);
        INDArray bound = Transforms.abs(expected, true).muli(tol[1]).addi(tol[0]);
        double max = diff.maxNumber().doubleValue();
        long over = diff.gt(bound).castTo(DataType.INT64).sumNumber().longValue();
        if (over > 0) {
            throw fail(over + " of " + diff.length() + " output values differ from the test output by more than "
                    + tol[0] + " + " + tol[1] + " |expected| (largest difference " + max + ")");
        }
        return new Result(name, List.copyOf(hashed), testIn.shape(), testOut.shape(), max, tol);
    }

    /**
     * Checks a tensor's axes against its test tensor's shape.
     *
     * @return the space axes' sizes by id
     */
    private Map<String, Long> checkAxes(List<Object> axes, long[] shape, String where, String inputId,
            Map<String, Long> inputSizes) {
        if (axes.size() != shape.length) {
            throw fail(where + " declares " + axes.size() + " axes, its test tensor has shape "
                    + java.util.Arrays.toString(shape));
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (int a = 0; a < axes.size(); a++) {
            Map<String, Object> axis = map(axes.get(a), where + ".axes[" + a + "]");
            String type = string(axis, "type");
            String at = where + ".axes[" + a + "] (" + type + ")";
            switch (type) {
                case "batch" -> {
                }
                case "channel" -> {
                    int names = list(axis, "channel_names").size();
                    if (names != shape[a]) {
                        throw fail(at + " names " + names + " channels, the test tensor has " + shape[a]);
                    }
                }
                case "space" -> {
                    String id = string(axis, "id");
                    sizes.put(id, shape[a]);
                    checkSize(axis.get("size"), shape[a], at, inputId, inputSizes);
                }
                default -> throw fail(at + ": axis type " + type + " is not checked here (batch, channel, space are)");
            }
        }
        return sizes;
    }

    private void checkSize(Object size, long actual, String at, String inputId, Map<String, Long> inputSizes) {
        if (size instanceof Integer fixed) {
            if (fixed != actual) {
                throw fail(at + " has size " + fixed + ", the test tensor " + actual);
            }
            return;
        }
        Map<String, Object> s = map(size, at + ".size");
        if (s.containsKey("min")) {
            long min = ((Number) s.get("min")).longValue();
            long step = ((Number) s.get("step")).longValue();
            if (actual < min || (step == 0 ? actual != min : (actual - min) % step != 0)) {
                throw fail(at + ": the test tensor's size " + actual + " is not " + min + " + k * " + step);
            }
        } else {
            String tensor = String.valueOf(s.get("tensor_id"));
            String axis = String.valueOf(s.get("axis_id"));
            long offset = s.get("offset") == null ? 0 : ((Number) s.get("offset")).longValue();
            Long ref = tensor.equals(inputId) ? inputSizes.get(axis) : null;
            if (ref == null) {
                throw fail(at + " refers to " + tensor + "." + axis + ", which is not an input space axis");
            }
            if (ref + offset != actual) {
                throw fail(at + ": the size should be " + tensor + "." + axis + " (" + ref + ") + " + offset + " = "
                        + (ref + offset) + ", the test tensor has " + actual);
            }
        }
    }

    private INDArray preprocess(INDArray raw, Map<String, Object> input) {
        INDArray x = raw.castTo(DataType.FLOAT).dup('c');
        Object steps = input.get("preprocessing");
        if (steps == null) {
            return x;
        }
        List<Object> list = asList(steps, "inputs[0].preprocessing");
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> step = map(list.get(i), "inputs[0].preprocessing[" + i + "]");
            String id = string(step, "id");
            Map<String, Object> kwargs = step.get("kwargs") == null ? Map.of() : map(step.get("kwargs"),
                    "inputs[0].preprocessing[" + i + "].kwargs");
            switch (id) {
                case "ensure_dtype" -> {
                    if (!"float32".equals(kwargs.get("dtype"))) {
                        throw fail("preprocessing ensure_dtype to " + kwargs.get("dtype") + " is not checked here "
                                + "(float32 is)");
                    }
                }
                case "fixed_zero_mean_unit_variance" -> {
                    double[] mean = values(kwargs.get("mean"), "mean");
                    double[] std = values(kwargs.get("std"), "std");
                    if (mean.length != std.length || mean.length > 1 && !"channel".equals(kwargs.get("axis"))) {
                        throw fail("preprocessing fixed_zero_mean_unit_variance: per-value mean and std are checked "
                                + "along axis channel only, and need as many of each");
                    }
                    for (int c = 0; c < x.size(1); c++) {
                        int k = mean.length == 1 ? 0 : c;
                        if (k >= mean.length) {
                            throw fail("preprocessing fixed_zero_mean_unit_variance has " + mean.length
                                    + " means for " + x.size(1) + " channels");
                        }
                        INDArray ch = x.get(NDArrayIndex.all(), NDArrayIndex.point(c));
                        ch.subi(mean[k]).divi(std[k]);
                    }
                }
                case "scale_linear" -> {
                    double gain = kwargs.get("gain") == null ? 1 : values(kwargs.get("gain"), "gain")[0];
                    double offset = kwargs.get("offset") == null ? 0 : values(kwargs.get("offset"), "offset")[0];
                    x.muli(gain).addi(offset);
                }
                default -> throw fail("preprocessing " + id + " is not supported by this check (ensure_dtype, "
                        + "fixed_zero_mean_unit_variance and scale_linear are)");
            }
        }
        return x;
    }

    private double[] values(Object v, String what) {
        if (v instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(e -> e instanceof Number)) {
            return l.stream().mapToDouble(e -> ((Number) e).doubleValue()).toArray();
        }
        throw fail("preprocessing kwarg " + what + " is not a number or a list of numbers: " + v);
    }

    private double[] tolerance(Map<String, Object> rdf) {
        double abs = DEFAULT_ABSOLUTE;
        double rel = DEFAULT_RELATIVE;
        if (rdf.get("config") instanceof Map<?, ?> config && config.get("bioimageio") instanceof Map<?, ?> b
                && b.get("reproducibility_tolerance") instanceof List<?> l && !l.isEmpty()
                && l.get(0) instanceof Map<?, ?> t) {
            abs = t.get("absolute_tolerance") instanceof Number n ? n.doubleValue() : abs;
            rel = t.get("relative_tolerance") instanceof Number n ? n.doubleValue() : rel;
        }
        return new double[] {abs, rel};
    }

    private byte[] tensorFile(Map<String, Object> descr, String where) {
        String source = string(descr, "source");
        Object sha = descr.get("sha256");
        if (!(sha instanceof String)) {
            throw fail(where + " has no sha256");
        }
        return file(source, (String) sha);
    }

    private byte[] file(String name, String sha256) {
        byte[] bytes = files.get(name);
        if (bytes == null) {
            throw fail("names " + name + ", which the zip does not hold");
        }
        if (sha256 != null) {
            String actual = BioimageioPackage.sha256(bytes);
            if (!actual.equalsIgnoreCase(sha256)) {
                throw fail(name + " has sha256 " + actual + ", rdf.yaml says " + sha256
                        + "; the file was changed after packaging");
            }
            hashed.add(name);
        }
        return bytes;
    }

    private INDArray npy(byte[] bytes, String where) {
        try {
            return Npy.read(bytes);
        } catch (Npy.FormatException e) {
            throw fail(where + " is not a readable .npy: " + e.getMessage());
        }
    }

    private Object single(Map<String, Object> m, String key) {
        List<Object> l = list(m, key);
        if (l.size() != 1) {
            throw fail(key + " has " + l.size() + " tensors; this check takes exactly one");
        }
        return l.get(0);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object v, String where) {
        if (!(v instanceof Map)) {
            throw fail(where + " is missing or not a mapping");
        }
        return (Map<String, Object>) v;
    }

    private List<Object> list(Map<String, Object> m, String key) {
        List<Object> l = asList(m.get(key), key);
        if (l.isEmpty()) {
            throw fail(key + " is empty");
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object v, String where) {
        if (!(v instanceof List)) {
            throw fail(where + " is missing or not a list");
        }
        return (List<Object>) v;
    }

    private String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw fail("the required field " + key + " is missing or empty");
        }
        return s;
    }

    private void requireEquals(Map<String, Object> m, String key, String expected) {
        if (!expected.equals(m.get(key))) {
            throw fail(key + " is " + m.get(key) + ", expected " + expected);
        }
    }

    private IllegalArgumentException fail(String problem) {
        return new IllegalArgumentException("bioimage.io package " + zip + ": " + problem);
    }
}
