package io.github.unet4j.train;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.runtime.Workspaces;
import io.github.unet4j.train.data.Batch;
import io.github.unet4j.train.data.BatchSource;
import io.github.unet4j.train.loss.Loss;
import io.github.unet4j.train.loss.LossResult;
import io.github.unet4j.train.optim.Optimizer;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One optimiser step on one batch: zero the gradients, forward in training mode, the loss, backward,
 * the optimiser's update. The {@link Trainer} runs it in its loop; a benchmark or a user's own loop
 * runs it alone.
 *
 * <p>The step's small arrays (the batch, the loss, the optimiser's temporaries) live in one reused
 * ND4J workspace; the network runs outside it and frees its own arrays
 * ({@link io.github.unet4j.core.graph.Tape}). A loss that is not finite leaves the parameters
 * unchanged (the caller decides whether that ends the run).
 */
public final class TrainingStep {
    private static final String WORKSPACE = "unet4j-train-step";
    private final UNet network;
    private final Loss loss;
    private final Optimizer optimizer;

    /**
     * @param network   the network
     * @param loss      the loss on its logits
     * @param optimizer the optimiser of the network's parameters
     */
    public TrainingStep(UNet network, Loss loss, Optimizer optimizer) {
        this.network = Objects.requireNonNull(network, "network");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    /**
     * @param batch input {@code [B, C, in, in]}, target and weight {@code [B, out, out]}
     * @return the batch's loss before the update
     */
    public double run(Batch batch) {
        return Workspaces.run(WORKSPACE, () -> runInWorkspace(batch));
    }

    /**
     * Draws the batch inside the step's workspace (its arrays are then reused, not left to the
     * garbage collector) and runs the step on it.
     *
     * @param source    the batches
     * @param batchSize tiles in the batch
     * @param rng       the generator of the batch's random choices
     * @return the batch's loss before the update
     */
    public double run(BatchSource source, int batchSize, RandomGenerator rng) {
        return Workspaces.run(WORKSPACE, () -> runInWorkspace(source.next(batchSize, rng)));
    }

    private double runInWorkspace(Batch b) {
        network.zeroGrad();
        INDArray logits = network.forward(b.input(), Mode.TRAIN);
        try {
            LossResult r = loss.compute(logits, b.target(), b.weight());
            if (!Double.isFinite(r.value())) {
                network.clearCache();
                return r.value();
            }
            BufferPool.release(network.backward(r.gradient()));
            optimizer.step();
            return r.value();
        } finally {
            BufferPool.release(logits);
        }
    }
}
