package io.github.unet4j.train.checkpoint;

import static io.github.unet4j.core.io.CheckpointArchive.BUFFERS;
import static io.github.unet4j.core.io.CheckpointArchive.CONFIG_ENTRY;
import static io.github.unet4j.core.io.CheckpointArchive.FORMAT_NAME;
import static io.github.unet4j.core.io.CheckpointArchive.FORMAT_VERSION;
import static io.github.unet4j.core.io.CheckpointArchive.NPY;
import static io.github.unet4j.core.io.CheckpointArchive.PARAMS;

import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.io.AtomicFile;
import io.github.unet4j.core.io.CheckpointException;
import io.github.unet4j.core.io.ConfigCodec;
import io.github.unet4j.core.io.Npy;
import io.github.unet4j.train.optim.Optimizer;
import io.github.unet4j.train.optim.OptimizerState;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** Writes checkpoint files ({@link Checkpoint#save}): the model's entries, then the optimiser's. */
final class CheckpointWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A fixed entry time, so that equal checkpoints are equal files. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private CheckpointWriter() {
    }

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
    static void save(Path path, UNet network, Optimizer optimizer, long step, Map<String, String> metadata)
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
        ConfigCodec.write(network.config(), root.putObject("config"));
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
            putEntry(zip, Checkpoint.OPTIMIZER_ENTRY, json(o));
            for (Map.Entry<String, INDArray> e : s.tensors().entrySet()) {
                putEntry(zip, Checkpoint.OPTIMIZER + e.getKey() + NPY, Npy.write(e.getValue()));
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
}
