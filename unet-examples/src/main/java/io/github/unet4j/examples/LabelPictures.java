package io.github.unet4j.examples;

import io.github.unet4j.train.data.LabelCoding;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.weightmap.WeightMap;
import io.github.unet4j.train.weightmap.WeightMapConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes the pictures of docs/data.md: for a generated image of touching cells
 * ({@link TouchingCells}), what each label coding gives as the training target and weight map:
 * image, label (each value tinted), target classes, weight map.
 *
 * <p>Run from the repository root: {@code java -cp unet-examples/target/unet.jar
 * io.github.unet4j.examples.LabelPictures [docs/images]}.
 */
public final class LabelPictures {
    private LabelPictures() {
    }

    /**
     * @param args optional output folder
     * @throws Exception if the pictures cannot be made or written
     */
    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "docs/images"));
        TouchingCells.Picture p = TouchingCells.generate(128, 1, 0);
        int w = p.image().width();
        int h = p.image().height();
        float[] img = p.image().pixels();
        int[] ids = p.instances().toIntArray();
        WeightMapConfig paper = WeightMapConfig.paper();
        Path none = Path.of("label.png");

        // Binary: the same cells as a 0/255 mask; touching cells become one component.
        int[] mask = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            mask[i] = ids[i] != 0 ? 255 : 0;
        }
        LabelCoding.Decoded b = LabelCoding.BINARY.decode(GrayImage.ofInts(w, h, mask,
                io.github.unet4j.train.io.BitDepth.EIGHT), none, 2, -1);
        write(out.resolve("labels-binary.png"), img, mask, b.classes(), WeightMap.fromBinary(b.classes(), w, h, 1,
                paper), w, h);
        // Classes: small cells class 1, large ones class 2.
        int[] size = new int[ids.length + 1];
        for (int id : ids) {
            size[id]++;
        }
        int[] cls = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            cls[i] = ids[i] == 0 ? 0 : size[ids[i]] < 700 ? 1 : 2;
        }
        write(out.resolve("labels-classes.png"), img, cls, cls, WeightMap.fromClasses(cls, w, h, 3, paper), w, h);
        // Instances: a background ridge where cells touch, and the border term on it.
        LabelCoding.Decoded in = LabelCoding.INSTANCES.decode(p.instances(), none, 2, -1);
        write(out.resolve("labels-instances.png"), img, ids, in.classes(), WeightMap.fromInstances(in.instances(), w,
                h, paper), w, h);
    }

    private static void write(Path file, float[] img, int[] label, int[] target, float[] weights, int w, int h)
            throws IOException {
        List<BufferedImage> row = List.of(Pictures.gray(img, w, h), Pictures.tinted(img, label, w, h),
                Pictures.tinted(new float[img.length], target, w, h), Pictures.heat(weights, w, h));
        ImageIO.write(Pictures.row(row, 6), "png", file.toFile());
    }
}
