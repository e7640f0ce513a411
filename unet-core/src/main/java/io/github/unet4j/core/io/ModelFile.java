package io.github.unet4j.core.io;

import io.github.unet4j.core.StateDict;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model in a checkpoint file: configuration, parameters, batch-norm statistics and metadata,
 * everything a program needs to segment, read without the training module (which adds the
 * optimiser state and writes checkpoints).
 *
 * <pre>{@code
 * ModelFile m = ModelFile.read(Path.of("runs/isbi/model.zip"));
 * UNet net = m.toNetwork(DataType.FLOAT);
 * }</pre>
 *
 * @param source     the file
 * @param config     the network configuration
 * @param step       the training step it was saved at
 * @param metadata   free-form metadata (the trainer stores the input normalisation here)
 * @param parameters parameter tensors by name
 * @param buffers    buffer tensors by name
 */
public record ModelFile(Path source, UNetConfig config, long step, Map<String, String> metadata,
        Map<String, INDArray> parameters, Map<String, INDArray> buffers) {

    /** Keeps unmodifiable, order-keeping copies of the maps. */
    public ModelFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
    }

    /**
     * @param path a checkpoint file
     * @return its model
     * @throws CheckpointException naming the file and what is wrong with it
     */
    public static ModelFile read(Path path) throws CheckpointException {
        CheckpointArchive.Contents c = CheckpointArchive.read(path);
        return new ModelFile(path, c.config(), c.step(), c.metadata(), c.parameters(), c.buffers());
    }

    /**
     * Copies the model into a network of the same configuration, bit for bit; everything is
     * checked first, so on a mismatch the network is left as it was.
     *
     * @param network the network
     * @throws IllegalArgumentException naming this file and the first mismatch
     */
    public void loadInto(UNet network) {
        check(network);
        StateDict.copy(network.parameters(), network.buffers(), parameters, buffers);
    }

    /**
     * Checks, without changing anything, that this model fits a network: every parameter and
     * buffer by name and shape, nothing extra, then the configuration.
     *
     * @param network the network
     * @throws IllegalArgumentException naming this file and the first mismatch
     */
    public void check(UNet network) {
        StateDict.check(network.parameters(), network.buffers(), parameters, buffers, "checkpoint " + source);
        if (!config.equals(network.config())) {
            throw new IllegalArgumentException("checkpoint " + source + ": configuration differs from the network's: "
                    + ConfigCodec.difference(config, network.config()));
        }
    }

    /**
     * @param dtype the network's data type (FLOAT to segment)
     * @return a network of this configuration with the stored weights, for inference
     */
    public UNet toNetwork(DataType dtype) {
        UNet net = new UNet(config, dtype, 0); // the seed only drives dropout, which inference skips
        loadInto(net);
        return net;
    }
}
