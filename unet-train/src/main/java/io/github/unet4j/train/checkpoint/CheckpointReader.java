package io.github.unet4j.train.checkpoint;

import io.github.unet4j.core.io.CheckpointArchive;
import io.github.unet4j.core.io.CheckpointException;
import io.github.unet4j.train.optim.OptimizerState;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Reads checkpoint files ({@link Checkpoint#load}): the model through core's
 * {@link CheckpointArchive}, then the optimiser state ({@code optimizer/state.json} and
 * {@code optimizer/<slot>/<name>.npy}).
 */
final class CheckpointReader {
    private CheckpointReader() {
    }

    static Checkpoint load(Path path) throws CheckpointException {
        if (path == null) {
            throw new IllegalArgumentException("Checkpoint.load: path must be set");
        }
        CheckpointArchive.Contents c = CheckpointArchive.read(path);
        Map<String, INDArray> optTensors = new LinkedHashMap<>();
        c.otherTensors().forEach((name, t) -> {
            if (name.startsWith(Checkpoint.OPTIMIZER)) {
                optTensors.put(name.substring(Checkpoint.OPTIMIZER.length()), t);
            }
        });
        JsonNode o = c.otherJson().get(Checkpoint.OPTIMIZER_ENTRY);
        OptimizerState opt = null;
        if (o != null) {
            opt = optimizer(path, o, optTensors);
        } else if (!optTensors.isEmpty()) {
            throw new CheckpointException(path, "optimizer tensors without " + Checkpoint.OPTIMIZER_ENTRY, null);
        }
        return new Checkpoint(path, c.formatVersion(), c.config(), c.step(), c.metadata(), c.parameters(),
                c.buffers(), opt);
    }

    private static OptimizerState optimizer(Path path, JsonNode o, Map<String, INDArray> tensors)
            throws CheckpointException {
        String entry = Checkpoint.OPTIMIZER_ENTRY;
        String kind = o.path("kind").asText("");
        if (kind.isBlank()) {
            throw new CheckpointException(path, entry + ": kind is missing", null);
        }
        Map<String, Double> hyper = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("hyperparameters").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> h = it.next();
            if (!h.getValue().isNumber()) {
                throw new CheckpointException(path, entry + ": hyperparameter " + h.getKey() + " is not a number", null);
            }
            hyper.put(h.getKey(), h.getValue().asDouble());
        }
        try {
            return new OptimizerState(kind, CheckpointArchive.requireLong(path, entry, o, "step"), hyper,
                    o.path("schedule").asText(""), tensors);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(path, entry + ": " + e.getMessage(), e);
        }
    }
}
