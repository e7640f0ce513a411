package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.ops.Precision;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.BufferPool;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.runtime.NativeGarbage;
import io.github.unet4j.core.runtime.Workspaces;
import io.github.unet4j.train.TrainingStep;
import io.github.unet4j.train.data.Batch;
import io.github.unet4j.train.loss.WeightedCrossEntropy;
import io.github.unet4j.train.optim.Sgd;
import io.github.unet4j.train.optim.SgdConfig;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The bench's training part: network, optimiser and random data for training steps of one configuration. */
final class BenchSession {
    static final long SEED = 42;
    private static final double LEARNING_RATE = 1e-4;

    final UNet net;
    final Sgd sgd;
    final INDArray x;
    final INDArray target;
    final WeightedCrossEntropy loss = new WeightedCrossEntropy();
    final TrainingStep step;
    final Batch tiles;
    /** What the training forward keeps, as {@code --activations} resolved for this network. */
    final Activations activations;

    BenchSession(UNetConfig config, int size, int batch, ActivationsOption option, Precision precision) {
        net = new UNet(config, DataType.FLOAT, SEED);
        sgd = new Sgd(net.parameters(), SgdConfig.paper(LEARNING_RATE));
        Nd4j.getRandom().setSeed(SEED);
        x = Nd4j.rand(DataType.FLOAT, batch, config.inChannels(), size, size);
        // Besides the pass: the gradients and SGD's momentum, one array per parameter each.
        activations = option.resolve(precision, net, x.shape(), 2L * net.parameterCount() * Float.BYTES);
        int outSize = config.outputSize(size);
        float[] ids = new float[batch * outSize * outSize];
        Random random = new Random(SEED);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(config.classes());
        }
        target = Nd4j.create(ids, new long[] {batch, outSize, outSize}, 'c');
        step = new TrainingStep(net, loss, sgd);
        tiles = new Batch(x, target, null);
    }

    /** The trainer's step ({@link TrainingStep}), then the garbage collection due, as the trainer does. */
    void trainStep() {
        step.run(tiles);
        NativeGarbage.collectIfDue();
    }

    /** A forward pass in inference mode, in a workspace as overlap-tile inference runs it. */
    void forward() {
        Workspaces.run("unet4j-inference", () -> {
            INDArray logits = net.forward(x, Mode.INFER);
            double sum = logits.sumNumber().doubleValue();
            BufferPool.release(logits);
            return sum;
        });
    }
}
