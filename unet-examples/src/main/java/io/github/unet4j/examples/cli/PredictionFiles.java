package io.github.unet4j.examples.cli;

import io.github.unet4j.core.infer.OverlapTile;
import io.github.unet4j.core.infer.Watershed;
import io.github.unet4j.examples.Pictures;
import io.github.unet4j.train.data.LabelCoding;
import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageChannels;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.weightmap.Components;
import io.github.unet4j.train.weightmap.ConnectedComponents;
import io.github.unet4j.train.weightmap.Connectivity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code unet predict} writes for one image, by the label coding the model was trained on:
 * <ul>
 *   <li>binary: {@code probabilities/NAME.png|tif} (class 1, white = cell) and
 *       {@code labels/NAME.png} (0 and 255);</li>
 *   <li>class ids: {@code probabilities/NAME.tif} (K float pages) or
 *       {@code probabilities/NAME-class<k>.png} (one per class), {@code labels/NAME.png} (the
 *       class map: a palette PNG whose pixel values are the class ids, shown in the overlay's
 *       colours with class 0 black; 16-bit gray above 256 classes);</li>
 *   <li>instances: the foreground probability as for binary, and {@code labels/NAME.png}: a
 *       16-bit instance label image, the connected components (edge neighbours) of the
 *       predicted foreground, numbered 1, 2, ...</li>
 * </ul>
 * and for the first image an overlay picture, drawn on the image's brightness (the mean of its
 * channels for RGB, its first channel for other multi-channel images).
 */
final class PredictionFiles {
    private final Path dir;
    private final Path probabilities;
    private final Path labels;
    private final LabelCoding coding;
    private final boolean tiff;
    private final Watershed.Config watershed;
    private final Path segments;

    /**
     * @param watershed the seeded watershed's parameters, or null for connected components
     *                  (with binary labels it also writes {@code segments/NAME.png}: its cells
     *                  as 16-bit ids, 0 = membrane); not for class-id models (the command refuses that)
     */
    PredictionFiles(Path dir, LabelCoding coding, boolean tiff, Watershed.Config watershed) throws IOException {
        this.dir = dir;
        this.probabilities = AtomicFiles.outputFolder(dir.resolve("probabilities"));
        this.labels = AtomicFiles.outputFolder(dir.resolve("labels"));
        this.coding = coding;
        this.tiff = tiff;
        this.watershed = watershed;
        this.segments = watershed != null && coding == LabelCoding.BINARY
                ? AtomicFiles.outputFolder(dir.resolve("segments")) : null;
    }

    /**
     * @param name    the image's output name
     * @param g       the image
     * @param p       the class probabilities, one row-major map per class
     * @param overlay whether to write the overlay picture too
     * @return how many objects (instances) or pixels of classes above 0 were found, for the log
     */
    long write(String name, ImageChannels g, float[][] p, boolean overlay) throws IOException {
        int w = g.width();
        int h = g.height();
        int[] classes = OverlapTile.argmax(p);
        int[] out;
        long found;
        if (coding == LabelCoding.CLASSES) {
            if (tiff) {
                List<GrayImage> pages = new ArrayList<>();
                for (float[] page : p) {
                    pages.add(new GrayImage(w, h, page, BitDepth.FLOAT32));
                }
                ImageIo.writeStack(pages, probabilities.resolve(name + ".tif"));
            } else {
                for (int k = 0; k < p.length; k++) {
                    ImageIo.write(eightBit(p[k], w, h), probabilities.resolve(name + "-class" + k + ".png"));
                }
            }
            out = classes;
            found = java.util.Arrays.stream(classes).filter(c -> c != 0).count();
            if (p.length <= 256) {
                ImageIo.writeIndexed(GrayImage.ofInts(w, h, out, BitDepth.EIGHT), Pictures.palette(p.length),
                        labels.resolve(name + ".png"));
            } else {
                ImageIo.write(GrayImage.ofInts(w, h, out, BitDepth.SIXTEEN), labels.resolve(name + ".png"));
            }
        } else {
            float[] fg = p[1];
            if (tiff) {
                ImageIo.write(new GrayImage(w, h, fg, BitDepth.FLOAT32), probabilities.resolve(name + ".tif"));
            } else {
                ImageIo.write(eightBit(fg, w, h), probabilities.resolve(name + ".png"));
            }
            if (coding == LabelCoding.INSTANCES) {
                out = objects(classes, fg, w, h);
                found = java.util.Arrays.stream(out).max().orElse(0);
                if (found > 65535) {
                    throw new IllegalStateException(name + ": " + found + " objects do not fit a 16-bit label");
                }
                ImageIo.write(GrayImage.ofInts(w, h, out, BitDepth.SIXTEEN), labels.resolve(name + ".png"));
            } else {
                if (segments != null) {
                    int[] cells = Watershed.segment(fg, w, h, watershed);
                    ImageIo.write(GrayImage.ofInts(w, h, cells, BitDepth.SIXTEEN), segments.resolve(name + ".png"));
                }
                out = new int[classes.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = classes[i] * 255; // class 1 (cell) is white, as in the ISBI labels
                }
                found = java.util.Arrays.stream(classes).filter(c -> c != 0).count();
                ImageIo.write(GrayImage.ofInts(w, h, out, BitDepth.EIGHT), labels.resolve(name + ".png"));
            }
        }
        if (overlay) {
            float[] shown = brightness(g);
            AtomicFiles.writePng(dir.resolve("overlay-" + name + ".png"), coding == LabelCoding.BINARY
                    ? Pictures.overlay(shown, p[0], w, h) : Pictures.tinted(shown, out, w, h));
        }
        return found;
    }

    /** @return the mean of red, green and blue for RGB, else the first channel */
    private static float[] brightness(ImageChannels g) {
        if (g.count() != 3) {
            return g.channel(0).pixels();
        }
        float[] sum = g.channel(0).pixels();
        for (int c = 1; c < 3; c++) {
            float[] v = g.channel(c).pixels();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += v[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= 3;
        }
        return sum;
    }

    /** The objects: the watershed's, or the connected components (edge neighbours) of the argmax foreground. */
    private int[] objects(int[] classes, float[] fg, int w, int h) {
        if (watershed != null) {
            return Watershed.segment(fg, w, h, watershed);
        }
        boolean[] mask = new boolean[classes.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = classes[i] == 1;
        }
        Components c = ConnectedComponents.label(mask, w, h, Connectivity.FOUR);
        return c.labels();
    }

    private static GrayImage eightBit(float[] p, int w, int h) {
        int[] q = new int[p.length];
        for (int k = 0; k < q.length; k++) {
            q[k] = Math.round(255 * p[k]);
        }
        return GrayImage.ofInts(w, h, q, BitDepth.EIGHT);
    }
}
