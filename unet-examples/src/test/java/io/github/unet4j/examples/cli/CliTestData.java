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

    /**
     * Like {@link #dataset}, with 3-class labels: 0 on the membrane grid, 1 in the cells of even
     * columns, 2 in those of odd columns (brighter).
     *
     * @param root the folder to create
     * @param n    slices
     * @param size slice width and height
     * @return root
     * @throws IOException if writing fails
     */
    public static Path classesDataset(Path root, int n, int size) throws IOException {
        return labelled(root, n, size, (x, y, k) -> {
            boolean membrane = (x + k) % 12 < 2 || (y + 2 * k) % 12 < 2;
            return membrane ? 0 : ((x + k) / 12) % 2 == 0 ? 1 : 2;
        });
    }

    /**
     * Like {@link #dataset}, with instance labels of touching cells: squares of 12 pixels with no
     * background between them, each its own id, on a thin background frame.
     *
     * @param root the folder to create
     * @param n    slices
     * @param size slice width and height
     * @return root
     * @throws IOException if writing fails
     */
    public static Path instancesDataset(Path root, int n, int size) throws IOException {
        return labelled(root, n, size, (x, y, k) -> {
            if (x < 2 || y < 2 || x >= size - 2 || y >= size - 2) {
                return 0;
            }
            return 1 + ((x + k) / 12) + 10 * ((y + k) / 12);
        });
    }

    /**
     * Like {@link #dataset}, with colour images: the membrane grid is visible only in the green
     * channel (red is a gradient, blue a constant), saved as 8-bit RGB PNG; or, with
     * {@code tiffPages}, as TIFFs of two pages (16-bit green, 8-bit red).
     *
     * @param root      the folder to create
     * @param n         slices
     * @param size      slice width and height
     * @param tiffPages whether to write two-page TIFFs instead of RGB PNGs
     * @return root
     * @throws IOException if writing fails
     */
    public static Path colourDataset(Path root, int n, int size, boolean tiffPages) throws IOException {
        Path img = Files.createDirectories(root.resolve("train/image"));
        Path lab = Files.createDirectories(root.resolve("train/label"));
        for (int k = 0; k < n; k++) {
            java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(size, size,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            int[] red = new int[size * size];
            int[] green = new int[size * size];
            int[] label = new int[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean membrane = (x + k) % 12 < 2 || (y + 2 * k) % 12 < 2;
                    int i = y * size + x;
                    label[i] = membrane ? 0 : 255;
                    red[i] = (x * 255) / size;
                    green[i] = membrane ? 30 : 200 + (x + y) % 40;
                    rgb.setRGB(x, y, red[i] << 16 | green[i] << 8 | 90);
                }
            }
            String name = String.format("%02d", k);
            if (tiffPages) {
                int[] green16 = java.util.Arrays.stream(green).map(v -> v * 257).toArray();
                ImageIo.writeStack(java.util.List.of(GrayImage.ofInts(size, size, green16, BitDepth.SIXTEEN),
                        GrayImage.ofInts(size, size, red, BitDepth.EIGHT)), img.resolve(name + ".tif"));
            } else {
                javax.imageio.ImageIO.write(rgb, "png", img.resolve(name + ".png").toFile());
            }
            ImageIo.write(GrayImage.ofInts(size, size, label, BitDepth.EIGHT), lab.resolve(name + ".png"));
        }
        return root;
    }

    private interface LabelAt {
        int at(int x, int y, int slice);
    }

    private static Path labelled(Path root, int n, int size, LabelAt labelAt) throws IOException {
        Path img = Files.createDirectories(root.resolve("train/image"));
        Path lab = Files.createDirectories(root.resolve("train/label"));
        for (int k = 0; k < n; k++) {
            int[] image = new int[size * size];
            int[] label = new int[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int c = labelAt.at(x, y, k);
                    label[y * size + x] = c;
                    // Bright texture per object; dark at each object's border, so boundaries show.
                    boolean edge = c != 0 && (c != labelAt.at(Math.min(x + 1, size - 1), y, k)
                            || c != labelAt.at(x, Math.min(y + 1, size - 1), k));
                    image[y * size + x] = c == 0 || edge ? 30 + (x * 7 + y * 3) % 20 : 120 + (c * 37) % 100
                            + (x * 5 + y) % 20;
                }
            }
            String name = String.format("%02d", k);
            ImageIo.write(GrayImage.ofInts(size, size, image, BitDepth.EIGHT), img.resolve(name + ".png"));
            ImageIo.write(GrayImage.ofInts(size, size, label, BitDepth.SIXTEEN), lab.resolve(name + "_mask.png"));
        }
        return root;
    }
}
