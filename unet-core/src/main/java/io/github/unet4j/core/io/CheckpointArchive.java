package io.github.unet4j.core.io;

import io.github.unet4j.core.UNetConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Reads the zip of a unet4j checkpoint ({@code docs/checkpoint-format.md}): {@code config.json}
 * (format, version, step, the configuration, metadata), {@code params/<name>.npy} and
 * {@code buffers/<name>.npy}, and every other JSON or {@code .npy} entry for readers that know
 * more of the format (the trainer's optimiser state). Every entry is checked against the CRC-32
 * in its zip header and every floating-point tensor for NaN and infinity. Every error names the
 * file and the entry.
 */
public final class CheckpointArchive {
    /** The format version this library writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the {@code format} field of {@code config.json}. */
    public static final String FORMAT_NAME = "unet4j-checkpoint";
    /** The entry of the format, step, configuration and metadata. */
    public static final String CONFIG_ENTRY = "config.json";
    /** The folder of the parameters. */
    public static final String PARAMS = "params/";
    /** The folder of the buffers. */
    public static final String BUFFERS = "buffers/";
    /** The ending of tensor entries. */
    public static final String NPY = ".npy";

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a checkpoint file holds.
     *
     * @param source        the file
     * @param formatVersion its format version
     * @param step          the training step it was saved at
     * @param config        the network configuration
     * @param metadata      free-form metadata
     * @param parameters    parameter tensors by name
     * @param buffers       buffer tensors by name
     * @param otherTensors  every other {@code .npy} entry, by entry name without {@code .npy}
     * @param otherJson     every other JSON entry, by entry name
     */
    public record Contents(Path source, int formatVersion, long step, UNetConfig config, Map<String, String> metadata,
            Map<String, INDArray> parameters, Map<String, INDArray> buffers, Map<String, INDArray> otherTensors,
            Map<String, JsonNode> otherJson) {
    }

    private CheckpointArchive() {
    }

    /**
     * @param path the checkpoint file
     * @return its contents
     * @throws CheckpointException if the file is missing, not a zip, damaged, not a checkpoint, of
     *                             a newer format version or has invalid content
     */
    public static Contents read(Path path) throws CheckpointException {
        if (path == null) {
            throw new IllegalArgumentException("CheckpointArchive.read: path must be set");
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
            throw new CheckpointException(path, "not a zip file, or a damaged or truncated one (" + AtomicFile.reason(e) + ")", e);
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot read: " + AtomicFile.reason(e), e);
        }
    }

    private static Contents read(Path path, ZipFile zip) throws CheckpointException {
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
        UNetConfig config;
        try {
            config = ConfigCodec.read(root.get("config"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(path, CONFIG_ENTRY + (root.path("config").isObject() ? " config" : "")
                    + ": " + e.getMessage(), e);
        }
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
        Map<String, INDArray> other = new LinkedHashMap<>();
        Map<String, JsonNode> json = new LinkedHashMap<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
            ZipEntry e = en.nextElement();
            String name = e.getName();
            if (e.isDirectory() || name.equals(CONFIG_ENTRY)) {
                continue;
            }
            if (name.endsWith(NPY) && name.startsWith(PARAMS)) {
                put(path, params, strip(name, PARAMS), readNpy(path, zip, e));
            } else if (name.endsWith(NPY) && name.startsWith(BUFFERS)) {
                put(path, buffers, strip(name, BUFFERS), readNpy(path, zip, e));
            } else if (name.endsWith(NPY)) {
                put(path, other, strip(name, ""), readNpy(path, zip, e));
            } else if (name.endsWith(".json")) {
                json.put(name, readJson(path, zip, e));
            }
        }
        return new Contents(path, version, step, config, metadata, params, buffers, other, json);
    }

    private static String strip(String entry, String prefix) {
        return entry.substring(prefix.length(), entry.length() - NPY.length());
    }

    private static void put(Path path, Map<String, INDArray> map, String name, INDArray value)
            throws CheckpointException {
        if (name.isEmpty() || map.put(name, value) != null) {
            throw new CheckpointException(path, "empty or repeated tensor name '" + name + "'", null);
        }
    }

    /**
     * Reads an entry and checks it against the CRC-32 and size its zip header records. Java's
     * ZipFile checks neither (only ZipInputStream does), and checkpoint entries are STORED, so a
     * flipped bit would otherwise load as a different weight.
     */
    private static byte[] readEntry(Path path, ZipFile zip, ZipEntry e) throws CheckpointException {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readAllBytes();
        } catch (IOException ex) {
            throw new CheckpointException(path, "entry " + e.getName() + " is damaged (" + AtomicFile.reason(ex) + ")", ex);
        }
        if (e.getSize() >= 0 && bytes.length != e.getSize()) {
            throw new CheckpointException(path, "entry " + e.getName() + " is damaged: " + bytes.length
                    + " bytes where the zip records " + e.getSize() + "; use an intact copy or an earlier checkpoint",
                    null);
        }
        if (e.getCrc() >= 0) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            if (crc.getValue() != e.getCrc()) {
                throw new CheckpointException(path, String.format("entry %s is damaged: its CRC-32 is %08x where "
                        + "the zip records %08x (the file changed after it was written); use an intact copy or an "
                        + "earlier checkpoint", e.getName(), crc.getValue(), e.getCrc()), null);
            }
        }
        return bytes;
    }

    private static INDArray readNpy(Path path, ZipFile zip, ZipEntry e) throws CheckpointException {
        INDArray a;
        try {
            a = Npy.read(readEntry(path, zip, e));
        } catch (Npy.FormatException ex) {
            throw new CheckpointException(path, "entry " + e.getName() + ": " + ex.getMessage(), ex);
        }
        long bad = nonFinite(a);
        if (bad > 0) {
            throw new CheckpointException(path, "tensor " + e.getName() + " has " + bad + " non-finite value"
                    + (bad == 1 ? "" : "s") + " (NaN or infinity) of " + a.length() + ": the run that saved it "
                    + "diverged or the file was altered; use an earlier checkpoint", null);
        }
        return a;
    }

    /** @return how many values of a floating-point tensor are NaN or infinite (0 for integers) */
    static long nonFinite(INDArray a) {
        if (!a.dataType().isFPType() || a.isEmpty()) {
            return 0;
        }
        return Nd4j.getExecutioner().exec(new MatchCondition(a, Conditions.notFinite())).getLong(0);
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
            throw new CheckpointException(path, e.getName() + " is not valid JSON (" + AtomicFile.reason(ex).lines().findFirst()
                    .orElse("") + ")", ex);
        }
    }

    /**
     * @param path  the file, for the message
     * @param entry the entry, for the message
     * @param node  a JSON object
     * @param field the field
     * @return the field's integer value
     * @throws CheckpointException if it is missing or not an integer
     */
    public static long requireLong(Path path, String entry, JsonNode node, String field) throws CheckpointException {
        JsonNode v = node.path(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new CheckpointException(path, entry + ": field " + field + " is missing or not an integer", null);
        }
        return v.asLong();
    }
}
