package io.github.unet4j.train.checkpoint;

import io.github.unet4j.core.StateDict;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.io.CheckpointArchive;
import io.github.unet4j.core.io.CheckpointException;
import io.github.unet4j.core.io.ModelFile;
import io.github.unet4j.train.optim.Optimizer;
import io.github.unet4j.train.optim.OptimizerState;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    public static final int FORMAT_VERSION = CheckpointArchive.FORMAT_VERSION;
    /** The value of the {@code format} field of {@code config.json}. */
    public static final String FORMAT_NAME = CheckpointArchive.FORMAT_NAME;
    static final String OPTIMIZER = "optimizer/";
    static final String OPTIMIZER_ENTRY = "optimizer/state.json";

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

    /**
     * Writes a checkpoint atomically: the zip is written to a hidden temporary file in the
     * target's folder, flushed to disk and renamed onto the target with an atomic move,
     * replacing an existing file. On any failure the temporary file is deleted and an existing
     * target is left as it was.
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
        CheckpointWriter.save(path, network, optimizer, step, metadata);
    }

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
        return CheckpointReader.load(path);
    }

    /** @return the model part, as unet-core reads it without this module */
    public ModelFile model() {
        return new ModelFile(source, config, step, metadata, parameters, buffers);
    }

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
        model().check(network);
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
        StateDict.copy(network.parameters(), network.buffers(), parameters, buffers);
        if (optimizer != null) {
            optimizer.loadState(this.optimizer);
        }
    }

    /**
     * Builds a network of this checkpoint's configuration with its weights, for inference or
     * to continue training.
     *
     * @param dtype the network's data type (FLOAT normally)
     * @return the network
     */
    public UNet toNetwork(DataType dtype) {
        return model().toNetwork(dtype);
    }
}
