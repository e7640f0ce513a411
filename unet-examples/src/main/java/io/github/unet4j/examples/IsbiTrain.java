package io.github.unet4j.examples;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.train.SegmentationValidator;
import io.github.unet4j.train.Trainer;
import io.github.unet4j.train.TrainerConfig;
import io.github.unet4j.train.augment.AugmentConfig;
import io.github.unet4j.train.augment.Augmenter;
import io.github.unet4j.train.data.LabelledImages;
import io.github.unet4j.train.data.Normalization;
import io.github.unet4j.train.data.TileSampler;
import io.github.unet4j.train.loss.WeightedCrossEntropy;
import io.github.unet4j.train.optim.Adam;
import io.github.unet4j.train.optim.AdamConfig;
import io.github.unet4j.train.optim.LearningRateSchedule;
import io.github.unet4j.train.weightmap.WeightMapConfig;
import io.github.unet4j.core.runtime.UNetRuntime;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Trains a U-Net on the bundled ISBI 2012 slices with the paper's recipe (weight map, elastic
 * deformation, overlap tiles) and saves a checkpoint: the library API in one page.
 *
 * <p>{@code java -cp unet-examples/target/unet.jar io.github.unet4j.examples.IsbiTrain [steps] [out.zip] [data]}
 */
public final class IsbiTrain {
    private IsbiTrain() {
    }

    /**
     * @param args optional number of steps (default 2500), checkpoint path (default
     *     runs/isbi-example.zip) and data folder (default data/isbi2012)
     * @throws Exception if the data cannot be read or the checkpoint written
     */
    public static void main(String[] args) throws Exception {
        UNetRuntime.setUp();
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 2500;
        Path checkpoint = Path.of(args.length > 1 ? args[1] : "runs/isbi-example.zip");
        Path data = Path.of(args.length > 2 ? args[2] : "data/isbi2012");
        java.nio.file.Files.createDirectories(checkpoint.toAbsolutePath().getParent());

        // All but the last 3 slices to train on, the last 3 to validate on.
        LabelledImages all = LabelledImages.read(data.resolve("train/image"), data.resolve("train/label"));
        LabelledImages train = all.subList(0, all.size() - 3);
        LabelledImages validation = all.subList(all.size() - 3, all.size());
        Normalization norm = Normalization.fit(train.images());

        // The paper's network, 4x narrower so that a CPU trains it in minutes.
        UNetConfig config = UNetConfig.paper().withBaseChannels(16);
        UNet net = new UNet(config, DataType.FLOAT, 42);
        int tile = 396; // -> 212x212 output tiles
        TileSampler tiles = new TileSampler(train.samples(norm, WeightMapConfig.paper()), tile,
                config.outputSize(tile), new Augmenter(AugmentConfig.defaults()));

        Adam adam = new Adam(net.parameters(), AdamConfig.defaults().withLearningRate(1e-3)
                .withSchedule(LearningRateSchedule.cosine(steps, 0).withWarmup(100)));
        new Trainer(net, new WeightedCrossEntropy(), adam, tiles,
                TrainerConfig.of(steps, 42).withValidateEvery(250).withCheckpoint(500, checkpoint))
                .validator(new SegmentationValidator(validation.samples(norm, null), tile, 2))
                .metadata(norm.toMetadata())
                .train();
    }
}
