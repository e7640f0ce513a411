package io.github.unet4j.train;

import io.github.unet4j.core.Activations;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.infer.ChannelNormalization;
import io.github.unet4j.train.augment.AugmentConfig;
import io.github.unet4j.train.augment.Augmenter;
import io.github.unet4j.train.data.LabelCoding;
import io.github.unet4j.train.data.LabelledImages;
import io.github.unet4j.train.data.TileSampler;
import io.github.unet4j.train.loss.WeightedCrossEntropy;
import io.github.unet4j.train.optim.Adam;
import io.github.unet4j.train.optim.AdamConfig;
import io.github.unet4j.train.optim.LearningRateSchedule;
import io.github.unet4j.train.optim.Optimizer;
import io.github.unet4j.train.optim.Sgd;
import io.github.unet4j.train.optim.SgdConfig;
import io.github.unet4j.train.weightmap.WeightMapConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The training recipe of the {@code unet train} command and of the example mains, in one place: the
 * paper's weighted cross-entropy with its border weight map, elastic and other augmentation of
 * random tiles, an optimiser with cosine decay after a warm-up, validation on held-out images, a
 * checkpoint. {@link #isbi()} is the ISBI 2012 main job's recipe.
 *
 * @param network         the network's configuration
 * @param tile            the input tile size, a valid size of the configuration
 * @param steps           optimiser steps
 * @param batch           tiles per step
 * @param seed            the run's seed (initialisation, sampling, augmentation, dropout)
 * @param optimizer       Adam or SGD with momentum
 * @param learningRate    the peak learning rate; NaN for the optimiser's default (Adam 1e-3, SGD 0.01)
 * @param momentum        SGD's momentum (the paper's 0.99); unused by Adam
 * @param weightMap       the loss weight map, or null for none
 * @param activations     what a training forward keeps
 * @param validateEvery   steps between validations (0: none)
 * @param checkpointEvery steps between checkpoints besides the last (0: only the last)
 */
public record TrainingRecipe(UNetConfig network, int tile, long steps, int batch, long seed, OptimizerKind optimizer,
        double learningRate, double momentum, WeightMapConfig weightMap, Activations activations, long validateEvery,
        long checkpointEvery) {

    /** The optimisers of the recipe. */
    public enum OptimizerKind {
        /** Adam (the default: trains the narrow network in minutes). */
        ADAM,
        /** SGD with momentum, as the paper. */
        SGD
    }

    /** Warm-up steps of the learning rate at most. */
    public static final long WARMUP = 100;

    /** @throws IllegalArgumentException for an invalid tile size or count */
    public TrainingRecipe {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(activations, "activations");
        if (!network.isValidInputSize(tile)) {
            throw new IllegalArgumentException("TrainingRecipe: tile " + tile + " is not a valid input size of the "
                    + "network; " + network.nearestValidHint(tile));
        }
        if (steps < 0 || batch < 1 || validateEvery < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("TrainingRecipe: need steps >= 0, batch >= 1, validateEvery >= 0 and "
                    + "checkpointEvery >= 0, got " + steps + ", " + batch + ", " + validateEvery + ", "
                    + checkpointEvery);
        }
        if (!Double.isNaN(learningRate) && !(learningRate > 0)) {
            throw new IllegalArgumentException("TrainingRecipe: learningRate must be > 0 (or NaN for the default), got "
                    + learningRate);
        }
    }

    /**
     * @return the ISBI 2012 main job: the paper's network 4x narrower (16 base channels), 396
     *         tiles, 2,500 Adam steps from 1e-3 with cosine decay, the paper's weight map, seed 42,
     *         validation every 250 steps, a checkpoint every 500
     */
    public static TrainingRecipe isbi() {
        return new TrainingRecipe(UNetConfig.paper().withBaseChannels(16), 396, 2500, 1, 42, OptimizerKind.ADAM,
                Double.NaN, 0.99, WeightMapConfig.paper(), Activations.KEEP, 250, 500);
    }

    /** @param v the network @param t a valid tile of it @return a copy */
    public TrainingRecipe withNetwork(UNetConfig v, int t) {
        return new TrainingRecipe(v, t, steps, batch, seed, optimizer, learningRate, momentum, weightMap, activations,
                validateEvery, checkpointEvery);
    }

    /** @param v steps @return a copy */
    public TrainingRecipe withSteps(long v) {
        return new TrainingRecipe(network, tile, v, batch, seed, optimizer, learningRate, momentum, weightMap,
                activations, validateEvery, checkpointEvery);
    }

    /** @param v tiles per step @param s the seed @return a copy */
    public TrainingRecipe withBatchAndSeed(int v, long s) {
        return new TrainingRecipe(network, tile, steps, v, s, optimizer, learningRate, momentum, weightMap, activations,
                validateEvery, checkpointEvery);
    }

    /** @param kind the optimiser @param lr its learning rate (NaN: default) @param m SGD's momentum @return a copy */
    public TrainingRecipe withOptimizer(OptimizerKind kind, double lr, double m) {
        return new TrainingRecipe(network, tile, steps, batch, seed, kind, lr, m, weightMap, activations,
                validateEvery, checkpointEvery);
    }

    /** @param v the weight map, or null for none @return a copy */
    public TrainingRecipe withWeightMap(WeightMapConfig v) {
        return new TrainingRecipe(network, tile, steps, batch, seed, optimizer, learningRate, momentum, v, activations,
                validateEvery, checkpointEvery);
    }

    /** @param v what a training forward keeps @return a copy */
    public TrainingRecipe withActivations(Activations v) {
        return new TrainingRecipe(network, tile, steps, batch, seed, optimizer, learningRate, momentum, weightMap, v,
                validateEvery, checkpointEvery);
    }

    /** @param validate steps between validations @param checkpoint steps between checkpoints @return a copy */
    public TrainingRecipe withSchedule(long validate, long checkpoint) {
        return new TrainingRecipe(network, tile, steps, batch, seed, optimizer, learningRate, momentum, weightMap,
                activations, validate, checkpoint);
    }

    /** @return a He-initialised network of the recipe's configuration and seed */
    public UNet newNetwork() {
        UNet net = new UNet(network, DataType.FLOAT, seed);
        net.setActivations(activations);
        return net;
    }

    /**
     * @param net the network
     * @return the optimiser of its parameters, with a warm-up of up to {@link #WARMUP} steps and
     *         cosine decay to 0 at the last step
     */
    public Optimizer newOptimizer(UNet net) {
        LearningRateSchedule schedule = LearningRateSchedule.cosine(steps, 0).withWarmup(Math.min(WARMUP, steps));
        if (optimizer == OptimizerKind.SGD) {
            return new Sgd(net.parameters(), SgdConfig.paper(Double.isNaN(learningRate) ? 0.01 : learningRate)
                    .withMomentum(momentum).withSchedule(schedule));
        }
        return new Adam(net.parameters(), AdamConfig.defaults().withLearningRate(Double.isNaN(learningRate) ? 1e-3
                : learningRate).withSchedule(schedule));
    }

    /** The ISBI scores for binary labels; pixel accuracy and IoU per class for class-id and instance labels. */
    private Validator validator(LabelledImages held, ChannelNormalization norm) {
        return held.coding() == LabelCoding.BINARY ? new SegmentationValidator(held.samples(norm, null), tile, 2)
                : new ClassValidator(held.samples(norm, null), tile, 2);
    }

    /**
     * The trainer of a run: images normalised with the training images' statistics (stored in the
     * checkpoint's metadata for prediction), weight maps, augmented tiles, validation on
     * {@code held} (if not empty) and the checkpoint.
     *
     * @param net        the network (new, or resumed from a checkpoint)
     * @param opt        its optimiser (its step count is where the run starts)
     * @param train      the training images
     * @param held       the validation images (may be empty)
     * @param checkpoint the checkpoint file, or null for none
     * @param metadata   more metadata for the checkpoint (e.g. which program trained it)
     * @return the trainer; add listeners and call {@link Trainer#train()}
     */
    public Trainer trainer(UNet net, Optimizer opt, LabelledImages train, LabelledImages held, Path checkpoint,
            Map<String, String> metadata) {
        if (net.config().classes() != train.classes()) {
            throw new IllegalArgumentException("TrainingRecipe: the network has " + net.config().classes()
                    + " classes but the " + train.coding() + " labels make " + train.classes());
        }
        if (net.config().inChannels() != train.channels()) {
            throw new IllegalArgumentException("TrainingRecipe: the network takes " + net.config().inChannels()
                    + " input channel(s) but the training images have " + train.channels() + "; make the network's "
                    + "inChannels " + train.channels());
        }
        if (held.size() > 0 && held.channels() != train.channels()) {
            throw new IllegalArgumentException("TrainingRecipe: the validation images have " + held.channels()
                    + " channel(s) but the training images " + train.channels());
        }
        ChannelNormalization norm = train.normalization();
        TileSampler sampler = new TileSampler(train.samples(norm, weightMap), network, tile,
                new Augmenter(AugmentConfig.defaults()));
        boolean validate = held.size() > 0 && validateEvery > 0;
        TrainerConfig config = new TrainerConfig(steps, batch, seed, validate ? validateEvery : 0,
                checkpoint == null ? 0 : checkpointEvery, checkpoint, 100);
        Map<String, String> meta = new LinkedHashMap<>(norm.toMetadata());
        meta.put("seed", Long.toString(seed));
        meta.put("tile", Integer.toString(tile));
        meta.put("labels", train.coding().name().toLowerCase(java.util.Locale.ROOT));
        meta.putAll(metadata);
        return new Trainer(net, new WeightedCrossEntropy(), opt, sampler, config)
                .validator(validate ? validator(held, norm) : null)
                .metadata(meta);
    }
}
