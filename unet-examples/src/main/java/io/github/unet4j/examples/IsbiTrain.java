package io.github.unet4j.examples;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.runtime.UNetRuntime;
import io.github.unet4j.train.TrainingRecipe;
import io.github.unet4j.train.data.LabelledImages;
import io.github.unet4j.train.listeners.LoggingListener;
import java.nio.file.Path;
import java.util.Map;

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

        // The recipe of `unet train`: the paper's network 4x narrower so that a CPU trains it in
        // minutes, 396 tiles, Adam with cosine decay, the paper's weight map and augmentation.
        TrainingRecipe recipe = TrainingRecipe.isbi().withSteps(steps);
        UNet net = recipe.newNetwork();
        recipe.trainer(net, recipe.newOptimizer(net), train, validation, checkpoint, Map.of("trainer", "IsbiTrain"))
                .addListener(new LoggingListener(100))
                .train();
    }
}
