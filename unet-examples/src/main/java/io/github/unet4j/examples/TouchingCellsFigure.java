package io.github.unet4j.examples;

import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The picture of docs/touching-cells.md: a test image, its true cells, and the cells predicted
 * by each of the given runs, each object tinted in its own colour.
 *
 * <p>{@code java -cp unet-examples/target/unet.jar io.github.unet4j.examples.TouchingCellsFigure
 * OUT.png data/touching-cells NAME RUN_LABELS...} where each {@code RUN_LABELS} is a folder of
 * {@code unet predict}'s instance images ({@code .../test/labels}).
 */
public final class TouchingCellsFigure {
    private TouchingCellsFigure() {
    }

    /**
     * @param args output file, data folder, image name, then one predicted-labels folder per run
     * @throws Exception if a file cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path data = Path.of(args[1]);
        String name = args[2];
        GrayImage image = ImageIo.read(data.resolve("test/image").resolve(name));
        float[] px = image.pixels();
        int w = image.width();
        int h = image.height();
        List<BufferedImage> row = new ArrayList<>();
        row.add(Pictures.gray(px, w, h));
        row.add(Pictures.tinted(px, ImageIo.read(data.resolve("test/label").resolve(name)).toIntArray(), w, h));
        for (int i = 3; i < args.length; i++) {
            row.add(Pictures.tinted(px, ImageIo.read(Path.of(args[i]).resolve(name)).toIntArray(), w, h));
        }
        ImageIO.write(Pictures.row(row, 6), "png", out.toFile());
    }
}
