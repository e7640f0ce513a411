package io.github.unet4j.examples;

import io.github.unet4j.core.init.Seeds;
import io.github.unet4j.train.augment.AugmentConfig;
import io.github.unet4j.train.augment.Augmenter;
import io.github.unet4j.train.augment.ElasticDeformation;
import io.github.unet4j.train.augment.Interpolation;
import io.github.unet4j.train.data.LabelledImages;
import io.github.unet4j.train.data.Sample;
import io.github.unet4j.train.weightmap.WeightMap;
import io.github.unet4j.train.weightmap.WeightMapConfig;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes the pictures of docs/training.md from the bundled ISBI 2012 data: a training slice,
 * its label, its weight map (paper eq. 2) and elastic deformations with the label outline.
 *
 * <p>Run from the repository root: {@code java -cp unet-examples/target/unet.jar
 * io.github.unet4j.examples.TrainingPictures [data/isbi2012] [docs/images]}.
 */
public final class TrainingPictures {
    private TrainingPictures() {
    }

    /**
     * @param args optional data folder and output folder
     * @throws IOException if the data cannot be read or the pictures written
     */
    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "data/isbi2012");
        Path out = Path.of(args.length > 1 ? args[1] : "docs/images");
        Files.createDirectories(out);
        LabelledImages set = LabelledImages.read(data.resolve("train/image"), data.resolve("train/label"))
                .subList(0, 1);
        int w = set.images().get(0).width();
        int h = set.images().get(0).height();
        float[] img = set.images().get(0).channel(0).pixels();
        int[] label = set.labels().get(0);
        float[] weights = WeightMap.fromBinary(label, w, h, 1, WeightMapConfig.paper());
        float[] labelPicture = new float[label.length];
        for (int i = 0; i < label.length; i++) {
            labelPicture[i] = label[i];
        }
        ImageIO.write(Pictures.gray(img, w, h), "png", out.resolve("isbi-train-00-image.png").toFile());
        ImageIO.write(Pictures.gray(labelPicture, w, h), "png", out.resolve("isbi-train-00-label.png").toFile());
        ImageIO.write(Pictures.heat(weights, w, h), "png", out.resolve("isbi-train-00-weightmap.png").toFile());

        // Elastic deformations only (no flips), of a 256x256 crop so the displacement is visible.
        int c = 256;
        float[] ci = new float[c * c];
        int[] cl = new int[c * c];
        for (int y = 0; y < c; y++) {
            System.arraycopy(img, y * w, ci, y * c, c);
            System.arraycopy(label, y * w, cl, y * c, c);
        }
        Sample crop = Sample.of(ci, cl, null, c, c);
        Augmenter elastic = new Augmenter(AugmentConfig.none().withElastic(1, ElasticDeformation.paper())
                .withInterpolation(Interpolation.BICUBIC));
        List<BufferedImage> row = new ArrayList<>();
        row.add(Pictures.outline(ci, cl, c, c, Color.RED));
        SplittableRandom rng = Seeds.stream(7, "pictures");
        for (int k = 0; k < 3; k++) {
            Sample d = elastic.augment(crop, rng);
            row.add(Pictures.outline(d.image(), d.label(), c, c, Color.RED));
        }
        ImageIO.write(Pictures.row(row, 8), "png", out.resolve("isbi-elastic-deformations.png").toFile());
    }
}
