package io.github.unet4j.examples.cli;

import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small synthetic data folders of the ISBI 2012 layout for the command and example tests. */
public final class CliTestData {
    private CliTestData() {
    }

    /**
     * A data folder like the ISBI one: cells are squares on a membrane grid.
     *
     * @param root the folder to create
     * @param n    slices
     * @param size slice width and height
     * @return root
     * @throws IOException if writing fails
     */
    public static Path dataset(Path root, int n, int size) throws IOException {
        Path img = Files.createDirectories(root.resolve("train/image"));
        Path lab = Files.createDirectories(root.resolve("train/label"));
        Path test = Files.createDirectories(root.resolve("test"));
        for (int k = 0; k < n; k++) {
            int[] image = new int[size * size];
            int[] label = new int[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean membrane = (x + k) % 12 < 2 || (y + 2 * k) % 12 < 2;
                    label[y * size + x] = membrane ? 0 : 255;
                    image[y * size + x] = membrane ? 40 + (x * 7 + y * 3) % 20 : 180 + (x * 5 + y) % 30;
                }
            }
            String name = String.format("%02d.png", k);
            ImageIo.write(GrayImage.ofInts(size, size, image, BitDepth.EIGHT), img.resolve(name));
            ImageIo.write(GrayImage.ofInts(size, size, label, BitDepth.EIGHT), lab.resolve(name));
            ImageIo.write(GrayImage.ofInts(size, size, image, BitDepth.EIGHT), test.resolve(name));
        }
        return root;
    }
}
