package io.github.unet4j.train.checkpoint;

import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.Upsampling;
import io.github.unet4j.train.io.AtomicFile;
import io.github.unet4j.train.optim.Optimizer;
import io.github.unet4j.train.optim.OptimizerState;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A checkpoint read from a file: a network's configuration, parameters and batch-norm
 * statistics, the training step, free-form metadata and, optionally, the optimiser's state.
 *
 * <p>The file is a zip of {@code config.json}, {@code params/<name>.npy},
 * {@code buffers/<name>.npy}, {@code optimizer/state.json} and
 * {@code optimizer/<slot>/<name>.npy}, tensors in PyTorch layouts and little-endian
 * {@code .npy}; {@code docs/checkpoint-format.md} describes it for NumPy and PyTorch users.
 * Saving and loading copy values bit for bit. The maps keep the file's order and cannot be
 * modified.
 *
 * @param source        the file it was read from (used in messages)
 * @param formatVersion the format version of the file
 * @param config        the network configuration
 * @param step          the training step recorded by {@link #save}
 * @param metadata      free-form metadata, such as the seed
 * @param parameters    parameter tensors by name ({@code inc.conv1.weight})
 * @param buffers       batch-norm running statistics by name ({@code inc.bn1.running_mean})
 * @param optimizer     the optimiser state, or null if none was saved
 */
public record Checkpoint(Path source, int formatVersion, UNetConfig config, long step, Map<String, String> metadata,
        Map<String, INDArray> parameters, Map<String, INDArray> buffers, OptimizerState optimizer) {

    /** The format version this library writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the {@code format} field of {@code config.json}. */
    public static final String FORMAT_NAME = "unet4j-checkpoint";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG_ENTRY = "config.json";
    private static final String PARAMS = "params/";
    private static final String BUFFERS = "buffers/";
    private static final String OPTIMIZER = "optimizer/";
    private static final String OPTIMIZER_ENTRY = "optimizer/state.json";
    private static final String NPY = ".npy";
    /** A fixed entry time, so that equal checkpoints are equal files. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /**
     * Validates the fields and makes unmodifiable, order-keeping copies of the maps.
     *
     * @param source the file it was read from (used in messages)
     * @param formatVersion the format version of the file
     * @param config the network configuration
     * @param step the training step recorded by {@link #save}
     * @param metadata free-form metadata, such as the seed
     * @param parameters parameter tensors by name ({@code inc.conv1.weight})
     * @param buffers batch-norm running statistics by name ({@code inc.bn1.running_mean})
     * @param optimizer the optimiser state, or null if none was saved
     */
    public Checkpoint {
        if (source == null || config == null || metadata == null || parameters == null || buffers == null) {
            throw new IllegalArgumentException("Checkpoint: source, config, metadata, parameters and buffers must be set");
        }
        if (formatVersion < 1) {
            throw new IllegalArgumentException("Checkpoint: formatVersion must be >= 1, got " + formatVersion);
        }
        if (step < 0) {
            throw new IllegalArgumentException("Checkpoint: step must be >= 0, got " + step);
        }
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
    }

    // ------------------------------------------------------------------------------------ save

    /**
     * Writes a checkpoint atomically: the zip is written to a hidden temporary file in the
     * target's folder, flushed to disk and renamed onto the target with
     * {@link StandardCopyOption#ATOMIC_MOVE}, replacing an existing file. On any failure the
     * temporary file is deleted and an existing target is left as it was.
     *
     * @param path      the checkpoint file (conventionally {@code .zip}); its folder must exist
     * @param network   the network whose configuration, parameters and buffers to save
     * @param optimizer the optimiser whose state to save, or null
     * @param step      the training step, &gt;= 0
     * @param metadata  free-form metadata (e.g. seed, library version), or null for none
     * @throws CheckpointException if the file cannot be written; the message names the path
     */
    public static void save(Path path, UNet network, Optimizer optimizer, long step, Map<String, String> metadata)
            throws CheckpointException {
        if (path == null || network == null) {
            throw new IllegalArgumentException("Checkpoint.save: path and network must be set");
        }
        if (step < 0) {
            throw new IllegalArgumentException("Checkpoint.save: step must be >= 0, got " + step);
        }
        Map<String, String> meta = metadata == null ? Map.of() : metadata;
        meta.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("Checkpoint.save: metadata has a null key or value (" + k + ")");
            }
        });
        AtomicFile.write(path, temp -> {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    ZipOutputStream zip = new ZipOutputStream(
                            new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16))) {
                writeEntries(zip, network, optimizer, step, meta);
                zip.finish();
                zip.flush();
                channel.force(true);
            }
        }, CheckpointException.class, CheckpointException::new);
    }

    private static void writeEntries(ZipOutputStream zip, UNet network, Optimizer optimizer, long step,
            Map<String, String> metadata) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT_NAME);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("step", step);
        root.put("dtype", dtypeName(network.dataType()));
        UNetConfig c = network.config();
        ObjectNode cfg = root.putObject("config");
        cfg.put("inChannels", c.inChannels());
        cfg.put("classes", c.classes());
        cfg.put("depth", c.depth());
        cfg.put("baseChannels", c.baseChannels());
        cfg.put("padding", c.padding().name());
        cfg.put("batchNorm", c.batchNorm());
        cfg.put("dropout", c.dropout());
        cfg.put("upsampling", c.upsampling().name());
        ObjectNode meta = root.putObject("metadata");
        metadata.forEach(meta::put);
        putEntry(zip, CONFIG_ENTRY, json(root));
        for (Parameter p : network.parameters()) {
            putEntry(zip, PARAMS + p.name() + NPY, Npy.write(p.value()));
        }
        for (Buffer b : network.buffers()) {
            putEntry(zip, BUFFERS + b.name() + NPY, Npy.write(b.value()));
        }
        if (optimizer != null) {
            OptimizerState s = optimizer.state();
            ObjectNode o = JSON.createObjectNode();
            o.put("kind", s.kind());
            o.put("step", s.step());
            ObjectNode h = o.putObject("hyperparameters");
            s.hyperparameters().forEach(h::put);
            o.put("schedule", s.schedule());
            putEntry(zip, OPTIMIZER_ENTRY, json(o));
            for (Map.Entry<String, INDArray> e : s.tensors().entrySet()) {
                putEntry(zip, OPTIMIZER + e.getKey() + NPY, Npy.write(e.getValue()));
            }
        }
    }

    private static byte[] json(JsonNode node) throws JsonProcessingException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    }

    /** Writes an uncompressed (STORED) entry: float tensors hardly compress, and readers can map them. */
    private static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String dtypeName(DataType t) {
        return switch (t) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String reason(Throwable e) {
        return AtomicFile.reason(e);
    }

    // ------------------------------------------------------------------------------------ load

    /**
     * Reads a checkpoint. Entries other than those of the format are ignored.
     *
     * @param path the checkpoint file
     * @return its contents
     * @throws CheckpointException if the file is missing, not a zip, damaged, not a checkpoint,
     *                             of a newer format version or has invalid content; the message
     *                             names the file and the entry
     */
    public static Checkpoint load(Path path) throws CheckpointException {
        if (path == null) {
            throw new IllegalArgumentException("Checkpoint.load: path must be set");
        }
        if (!Files.exists(path)) {
            throw new CheckpointException(path, "no such file", null);
        }
        if (Files.isDirectory(path)) {
            throw new CheckpointException(path, "is a folder, not a checkpoint file", null);
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            return read(path, zip);
        } catch (CheckpointException e) {
            throw e;
        } catch (ZipException e) {
            throw new CheckpointException(path, "not a zip file, or a damaged or truncated one (" + reason(e) + ")", e);
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot read: " + reason(e), e);
        }
    }

    private static Checkpoint read(Path path, ZipFile zip) throws CheckpointException {
        ZipEntry configEntry = zip.getEntry(CONFIG_ENTRY);
        if (configEntry == null) {
            throw new CheckpointException(path, "no " + CONFIG_ENTRY + " entry (not a unet4j checkpoint?)", null);
        }
        JsonNode root = readJson(path, zip, configEntry);
        String format = root.path("format").asText("");
        if (!FORMAT_NAME.equals(format)) {
            throw new CheckpointException(path, CONFIG_ENTRY + ": format is '" + format + "', expected '"
                    + FORMAT_NAME + "'", null);
        }
        int version = (int) requireLong(path, CONFIG_ENTRY, root, "formatVersion");
        if (version < 1 || version > FORMAT_VERSION) {
            throw new CheckpointException(path, CONFIG_ENTRY + ": format version " + version
                    + " is not supported (this library reads 1 to " + FORMAT_VERSION + ")", null);
        }
        long step = requireLong(path, CONFIG_ENTRY, root, "step");
        UNetConfig config = parseConfig(path, root.path("config"));
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.path("metadata");
        if (!meta.isMissingNode() && !meta.isNull()) {
            if (!meta.isObject()) {
                throw new CheckpointException(path, CONFIG_ENTRY + ": metadata must be an object", null);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                metadata.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> buffers = new LinkedHashMap<>();
        Map<String, INDArray> optTensors = new LinkedHashMap<>();
        ZipEntry optEntry = null;
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
            ZipEntry e = en.nextElement();
            String name = e.getName();
            if (e.isDirectory()) {
                continue;
            }
            if (name.equals(OPTIMIZER_ENTRY)) {
                optEntry = e;
            } else if (name.endsWith(NPY) && name.startsWith(PARAMS)) {
                putTensor(path, params, strip(name, PARAMS), readNpy(path, zip, e));
            } else if (name.endsWith(NPY) && name.startsWith(BUFFERS)) {
                putTensor(path, buffers, strip(name, BUFFERS), readNpy(path, zip, e));
            } else if (name.endsWith(NPY) && name.startsWith(OPTIMIZER)) {
                putTensor(path, optTensors, strip(name, OPTIMIZER), readNpy(path, zip, e));
            }
        }
        OptimizerState opt = null;
        if (optEntry != null) {
            JsonNode o = readJson(path, zip, optEntry);
            String kind = o.path("kind").asText("");
            if (kind.isBlank()) {
                throw new CheckpointException(path, OPTIMIZER_ENTRY + ": kind is missing", null);
            }
            Map<String, Double> hyper = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.path("hyperparameters").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> h = it.next();
                if (!h.getValue().isNumber()) {
                    throw new CheckpointException(path, OPTIMIZER_ENTRY + ": hyperparameter " + h.getKey()
                            + " is not a number", null);
                }
                hyper.put(h.getKey(), h.getValue().asDouble());
            }
            try {
                opt = new OptimizerState(kind, requireLong(path, OPTIMIZER_ENTRY, o, "step"), hyper,
                        o.path("schedule").asText(""), optTensors);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(path, OPTIMIZER_ENTRY + ": " + e.getMessage(), e);
            }
        } else if (!optTensors.isEmpty()) {
            throw new CheckpointException(path, "optimizer tensors without " + OPTIMIZER_ENTRY, null);
        }
        return new Checkpoint(path, version, config, step, metadata, params, buffers, opt);
    }

    private static String strip(String entry, String prefix) {
        return entry.substring(prefix.length(), entry.length() - NPY.length());
    }

    private static void putTensor(Path path, Map<String, INDArray> map, String name, INDArray value)
            throws CheckpointException {
        if (name.isEmpty() || map.put(name, value) != null) {
            throw new CheckpointException(path, "empty or repeated tensor name '" + name + "'", null);
        }
    }

    private static byte[] readEntry(Path path, ZipFile zip, ZipEntry e) throws CheckpointException {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new CheckpointException(path, "entry " + e.getName() + " is damaged (" + reason(ex) + ")", ex);
        }
    }

    private static INDArray readNpy(Path path, ZipFile zip, ZipEntry e) throws CheckpointException {
        try {
            return Npy.read(readEntry(path, zip, e));
        } catch (Npy.FormatException ex) {
            throw new CheckpointException(path, "entry " + e.getName() + ": " + ex.getMessage(), ex);
        }
    }

    private static JsonNode readJson(Path path, ZipFile zip, ZipEntry e) throws CheckpointException {
        try {
            JsonNode node = JSON.readTree(readEntry(path, zip, e));
            if (node == null || !node.isObject()) {
                throw new CheckpointException(path, e.getName() + " is not a JSON object", null);
            }
            return node;
        } catch (IOException ex) {
            if (ex instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(path, e.getName() + " is not valid JSON (" + reason(ex).lines().findFirst()
                    .orElse("") + ")", ex);
        }
    }

    private static long requireLong(Path path, String entry, JsonNode node, String field) throws CheckpointException {
        JsonNode v = node.path(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new CheckpointException(path, entry + ": field " + field + " is missing or not an integer", null);
        }
        return v.asLong();
    }

    private static UNetConfig parseConfig(Path path, JsonNode c) throws CheckpointException {
        String where = CONFIG_ENTRY + " config";
        if (!c.isObject()) {
            throw new CheckpointException(path, CONFIG_ENTRY + ": config object is missing", null);
        }
        int in = (int) requireLong(path, where, c, "inChannels");
        int classes = (int) requireLong(path, where, c, "classes");
        int depth = (int) requireLong(path, where, c, "depth");
        int base = (int) requireLong(path, where, c, "baseChannels");
        Padding padding = requireEnum(path, c, "padding", Padding.class);
        if (!c.path("batchNorm").isBoolean()) {
            throw new CheckpointException(path, where + ": field batchNorm is missing or not a boolean", null);
        }
        if (!c.path("dropout").isNumber()) {
            throw new CheckpointException(path, where + ": field dropout is missing or not a number", null);
        }
        Upsampling up = requireEnum(path, c, "upsampling", Upsampling.class);
        try {
            return new UNetConfig(in, classes, depth, base, padding, c.path("batchNorm").asBoolean(),
                    c.path("dropout").asDouble(), up);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(path, where + ": " + e.getMessage(), e);
        }
    }

    private static <E extends Enum<E>> E requireEnum(Path path, JsonNode c, String field, Class<E> type)
            throws CheckpointException {
        String v = c.path(field).asText("");
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(path, CONFIG_ENTRY + " config: field " + field + " is '" + v
                    + "', expected one of " + Arrays.toString(type.getEnumConstants()), e);
        }
    }

    // ------------------------------------------------------------------------------- loadInto

    /**
     * Copies this checkpoint into a network and, optionally, an optimiser, bit for bit (values
     * are converted if the network's data type differs from the file's). Everything is checked
     * before anything is changed: on a mismatch the network and optimiser are left as they were.
     *
     * <p>Checked in this order: each network parameter in {@link UNet#parameters()} order
     * (present, same shape), checkpoint parameters the network lacks, the same for buffers, the
     * configuration, then the optimiser state ({@link Optimizer#checkState}).
     *
     * @param network   the network to fill
     * @param optimizer the optimiser whose state to restore, or null to skip it
     * @throws IllegalArgumentException with a one-line message naming this file and the first
     *                                  mismatch, e.g. {@code checkpoint x.zip: parameter
     *                                  inc.conv1.weight has shape [32, 1, 3, 3] but the network
     *                                  expects [64, 1, 3, 3]}
     */
    public void loadInto(UNet network, Optimizer optimizer) {
        if (network == null) {
            throw new IllegalArgumentException("checkpoint " + source + ": loadInto needs a network");
        }
        List<String> netParams = new ArrayList<>();
        for (Parameter p : network.parameters()) {
            checkTensor("parameter", p.name(), p.shape(), parameters.get(p.name()));
            netParams.add(p.name());
        }
        checkNoExtra("parameter", parameters, netParams);
        List<String> netBuffers = new ArrayList<>();
        for (Buffer b : network.buffers()) {
            checkTensor("buffer", b.name(), b.value().shape(), buffers.get(b.name()));
            netBuffers.add(b.name());
        }
        checkNoExtra("buffer", buffers, netBuffers);
        if (!config.equals(network.config())) {
            throw new IllegalArgumentException("checkpoint " + source + ": configuration differs from the network's: "
                    + configDifference(config, network.config()));
        }
        if (optimizer != null) {
            if (this.optimizer == null) {
                throw new IllegalArgumentException("checkpoint " + source + ": has no optimizer state to load");
            }
            try {
                optimizer.checkState(this.optimizer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("checkpoint " + source + ": optimizer state does not fit: "
                        + e.getMessage(), e);
            }
        }
        for (Parameter p : network.parameters()) {
            p.value().assign(parameters.get(p.name()));
        }
        for (Buffer b : network.buffers()) {
            b.value().assign(buffers.get(b.name()));
        }
        if (optimizer != null) {
            optimizer.loadState(this.optimizer);
        }
    }

    /**
     * Builds a network of this checkpoint's configuration and loads the parameters and buffers
     * into it.
     *
     * @param dtype the network's data type (FLOAT normally)
     * @param seed  seed of the network's dropout stream (the initialisation is overwritten)
     * @return the network
     */
    public UNet toNetwork(DataType dtype, long seed) {
        UNet net = new UNet(config, dtype, seed);
        loadInto(net, null);
        return net;
    }

    private void checkTensor(String what, String name, long[] expected, INDArray found) {
        if (found == null) {
            throw new IllegalArgumentException("checkpoint " + source + ": " + what + " " + name
                    + " is missing (the network expects shape " + Arrays.toString(expected) + ")");
        }
        if (!Arrays.equals(found.shape(), expected)) {
            throw new IllegalArgumentException("checkpoint " + source + ": " + what + " " + name + " has shape "
                    + Arrays.toString(found.shape()) + " but the network expects " + Arrays.toString(expected));
        }
    }

    private void checkNoExtra(String what, Map<String, INDArray> stored, List<String> expected) {
        for (Map.Entry<String, INDArray> e : stored.entrySet()) {
            if (!expected.contains(e.getKey())) {
                throw new IllegalArgumentException("checkpoint " + source + ": " + what + " " + e.getKey() + " (shape "
                        + Arrays.toString(e.getValue().shape()) + ") does not exist in the network");
            }
        }
    }

    private static String configDifference(UNetConfig file, UNetConfig net) {
        List<String> diffs = new ArrayList<>();
        diff(diffs, "inChannels", file.inChannels(), net.inChannels());
        diff(diffs, "classes", file.classes(), net.classes());
        diff(diffs, "depth", file.depth(), net.depth());
        diff(diffs, "baseChannels", file.baseChannels(), net.baseChannels());
        diff(diffs, "padding", file.padding(), net.padding());
        diff(diffs, "batchNorm", file.batchNorm(), net.batchNorm());
        diff(diffs, "dropout", file.dropout(), net.dropout());
        diff(diffs, "upsampling", file.upsampling(), net.upsampling());
        return String.join(", ", diffs);
    }

    private static void diff(List<String> out, String field, Object file, Object net) {
        if (!file.equals(net)) {
            out.add(field + " " + file + " in the file, " + net + " in the network");
        }
    }
}
