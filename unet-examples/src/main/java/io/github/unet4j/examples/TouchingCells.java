package io.github.unet4j.examples;

import io.github.unet4j.core.init.Seeds;
import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A seeded generator of images of touching cells with instance labels, for the paper's second
 * showcase (separating touching objects). Cells are the Voronoi regions of random seed points
 * cut to a disc around each seed (radius 10-20 px, so neighbours share long borders and some
 * cells stand alone); each cell has its own brightness (90-200) and a dark rim two pixels wide
 * only where it meets background, so where two cells touch the image shows almost no edge, as
 * in phase-contrast images of crowded cells; then Gaussian-like blur and noise.
 *
 * <p>Run from the repository root: {@code java -cp unet-examples/target/unet.jar
 * io.github.unet4j.examples.TouchingCells [out] [train] [validation] [size] [seed]}, by default
 * {@code data/touching-cells 24 6 256 1}: {@code train/image/NN.png} (8-bit) with
 * {@code train/label/NN.png} (16-bit instance ids), and the test images
 * {@code test/image/NN.png} with {@code test/label/NN.png}, made from later streams of the
 * same seed.
 */
public final class TouchingCells {
    private TouchingCells() {
    }

    /**
     * One image and its instance labels.
     *
     * @param image     8-bit gray values
     * @param instances instance ids (0 = background)
     */
    public record Picture(GrayImage image, GrayImage instances) {
    }

    /**
     * @param size  width and height
     * @param seed  the seed
     * @param index which image of the set (each has its own stream)
     * @return the picture
     */
    public static Picture generate(int size, long seed, int index) {
        SplittableRandom r = Seeds.stream(seed, "touching-cells/" + index);
        int n = Math.max(2, size * size / 900);
        double[] sx = new double[n];
        double[] sy = new double[n];
        double[] radius = new double[n];
        int[] bright = new int[n];
        for (int k = 0; k < n; k++) {
            sx[k] = r.nextDouble() * size;
            sy[k] = r.nextDouble() * size;
            radius[k] = 10 + 10 * r.nextDouble();
            bright[k] = 90 + r.nextInt(111);
        }
        int[] ids = new int[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int best = -1;
                double bestD = Double.MAX_VALUE;
                for (int k = 0; k < n; k++) {
                    double d = Math.hypot(x - sx[k], y - sy[k]);
                    if (d < bestD) {
                        bestD = d;
                        best = k;
                    }
                }
                ids[y * size + x] = bestD <= radius[best] ? best + 1 : 0;
            }
        }
        double[] v = new double[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int id = ids[y * size + x];
                if (id == 0) {
                    v[y * size + x] = 40;
                    continue;
                }
                boolean rim = false;
                for (int dy = -2; dy <= 2 && !rim; dy++) {
                    for (int dx = -2; dx <= 2; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < size && ny < size && ids[ny * size + nx] == 0) {
                            rim = true;
                            break;
                        }
                    }
                }
                double texture = 12 * Math.sin(x * 0.7 + id) * Math.cos(y * 0.5 - id);
                v[y * size + x] = rim ? 20 : bright[id - 1] + texture;
            }
        }
        double[] blurred = blur(blur(v, size), size);
        int[] out = new int[size * size];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Math.max(0, Math.min(255, Math.round(blurred[i] + 8 * r.nextGaussian())));
        }
        return new Picture(GrayImage.ofInts(size, size, out, BitDepth.EIGHT),
                GrayImage.ofInts(size, size, ids, BitDepth.SIXTEEN));
    }

    /** A 3x3 box blur, edges clamped. */
    private static double[] blur(double[] v, int size) {
        double[] o = new double[v.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = Math.min(size - 1, Math.max(0, x + dx));
                        int ny = Math.min(size - 1, Math.max(0, y + dy));
                        s += v[ny * size + nx];
                    }
                }
                o[y * size + x] = s / 9;
            }
        }
        return o;
    }

    /**
     * @param args optional output folder, training and test image counts, size and seed
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "data/touching-cells");
        int train = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        int validation = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 256;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
        for (int i = 0; i < train + validation; i++) {
            String part = i < train ? "train" : "test";
            Path img = Files.createDirectories(out.resolve(part + "/image"));
            Path lab = Files.createDirectories(out.resolve(part + "/label"));
            Picture p = generate(size, seed, i);
            String name = String.format("%02d.png", i);
            ImageIo.write(p.image(), img.resolve(name));
            ImageIo.write(p.instances(), lab.resolve(name));
        }
    }
}
