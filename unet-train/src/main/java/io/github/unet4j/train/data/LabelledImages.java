package io.github.unet4j.train.data;

import io.github.unet4j.core.infer.Normalization;

import io.github.unet4j.train.data.Sample;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.io.ImageIoException;
import io.github.unet4j.train.weightmap.WeightMap;
import io.github.unet4j.train.weightmap.WeightMapConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder of images with a folder of binary labels of the same names (ISBI 2012 layout:
 * {@code image/00.png}, {@code label/00.png}; label 0 = membrane, any other value = cell),
 * turned into training samples with class ids (0 = membrane, 1 = cell) and the paper's weight
 * map.
 *
 * @param names  file names, in order
 * @param images the images
 * @param labels class ids per pixel (0 membrane, 1 cell), row-major
 */
public record LabelledImages(List<String> names, List<GrayImage> images, List<int[]> labels) {

    /**
     * Reads every image in {@code imageDir} and the label of the same name in {@code labelDir}.
     *
     * @param imageDir folder of images
     * @param labelDir folder of labels
     * @return the pairs, sorted by name
     * @throws ImageIoException for a missing, unreadable or corrupt file, a size mismatch
     *     between an image and its label, or a label with values other than 0 and one cell value
     */
    public static LabelledImages read(Path imageDir, Path labelDir) throws ImageIoException {
        List<String> names = new ArrayList<>();
        List<GrayImage> images = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        for (Path p : ImageIo.listImagesStrict(imageDir)) {
            String name = p.getFileName().toString();
            Path lp = labelDir.resolve(name);
            GrayImage img = ImageIo.read(p);
            GrayImage lab = ImageIo.read(lp);
            if (img.width() != lab.width() || img.height() != lab.height()) {
                throw new ImageIoException(lp, "label is " + lab.width() + "x" + lab.height() + " but its image "
                        + p + " is " + img.width() + "x" + img.height(), null);
            }
            labels.add(classes(lab, lp));
            names.add(name);
            images.add(img);
        }
        if (names.isEmpty()) {
            throw new ImageIoException(imageDir, "no .png or .tif images in this folder", null);
        }
        return new LabelledImages(List.copyOf(names), List.copyOf(images), List.copyOf(labels));
    }

    private static int[] classes(GrayImage label, Path path) throws ImageIoException {
        float[] v = label.pixels();
        int[] c = new int[v.length];
        float cell = Float.NaN;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0) {
                continue;
            }
            if (Float.isNaN(cell)) {
                cell = v[i];
            } else if (v[i] != cell) {
                throw new ImageIoException(path, "label has values 0, " + cell + " and " + v[i] + " (at x="
                        + (i % label.width()) + ", y=" + (i / label.width()) + "); a binary label needs 0 for "
                        + "membrane and one value for cells", null);
            }
            c[i] = 1;
        }
        return c;
    }

    private float[] normalized(Normalization norm, GrayImage g, int i) {
        try {
            return norm.apply(g.forNormalization());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image " + names.get(i) + " (" + g.depth() + "): " + e.getMessage(), e);
        }
    }

    /**
     * What trains but probably not as meant, one line each: a label of one class only (all
     * membrane or all cell: no boundary to learn from it), an image smaller than 8x8.
     *
     * @return the warnings, possibly none
     */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            GrayImage g = images.get(i);
            int[] c = labels.get(i);
            long cells = java.util.Arrays.stream(c).filter(v -> v == 1).count();
            if (cells == 0 || cells == c.length) {
                w.add("label " + names.get(i) + " is all " + (cells == 0 ? "membrane (0)" : "cell") + ": it has no "
                        + "boundary to learn; check that 0 marks membrane and another value cells");
            }
            if (g.width() < 8 || g.height() < 8) {
                w.add("image " + names.get(i) + " is only " + g.width() + "x" + g.height() + " pixels");
            }
        }
        return w;
    }

    /** @return the number of images */
    public int size() {
        return names.size();
    }

    /**
     * @param from first index
     * @param to   one past the last index
     * @return the images in [from, to)
     */
    public LabelledImages subList(int from, int to) {
        return new LabelledImages(names.subList(from, to), images.subList(from, to), labels.subList(from, to));
    }

    /**
     * @return the mean, standard deviation and range of these images' values, each scaled by its
     *         own bit depth's full scale
     * @throws IllegalArgumentException if there are no images
     */
    public Normalization normalization() {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("Normalization: no images to fit");
        }
        return Normalization.fit(images.stream().map(GrayImage::forNormalization).toList());
    }

    /**
     * @param norm    input normalisation
     * @param weights the weight map configuration, or null for no weight map (all ones)
     * @return one single-channel sample per image
     */
    public List<Sample> samples(Normalization norm, WeightMapConfig weights) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            GrayImage g = images.get(i);
            float[] w = weights == null ? null : WeightMap.fromBinary(labels.get(i), g.width(), g.height(), 1, weights);
            out.add(Sample.of(normalized(norm, g, i), labels.get(i), w, g.width(), g.height()));
        }
        return out;
    }
}
