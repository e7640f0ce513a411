package io.github.unet4j.train.data;

import io.github.unet4j.core.infer.ChannelNormalization;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageChannels;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.io.ImageIoException;
import io.github.unet4j.train.weightmap.WeightMap;
import io.github.unet4j.train.weightmap.WeightMapConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A folder of images with a folder of their labels, turned into training samples with class
 * ids and the paper's weight map. Labels are decoded by their {@link LabelCoding}: binary
 * (ISBI 2012: 0 = membrane, any other value = cell), class ids, or instance ids. An image and
 * its label are paired by file name without extension ({@code cell_001.tif} with
 * {@code cell_001.png}), and the label may add {@code _mask} or {@code _label}
 * ({@code cell_001_mask.png}).
 *
 * <p>Images may have several channels ({@link ImageIo#readChannels}: RGB, or the pages of a TIFF),
 * all the same number; a set of gray images saved as RGB (three equal channels) is read as gray.
 *
 * @param names     image file names, in order
 * @param images    the images, each of {@link #channels()} channels
 * @param labels    class ids per pixel, row-major
 * @param coding    how the label files coded them
 * @param classes   the number of classes (2 for binary and instance labels)
 * @param instances per image, the instance ids with touching borders made background
 *                  (instance labels only; otherwise an empty list)
 * @param ignored   per image, the pixels without loss and metric, or null entries for none
 *                  (an empty list when nothing is ignored)
 */
public record LabelledImages(List<String> names, List<ImageChannels> images, List<int[]> labels, LabelCoding coding,
        int classes, List<int[]> instances, List<boolean[]> ignored) {

    /** The endings a label's name may add to its image's. */
    public static final List<String> LABEL_SUFFIXES = List.of("", "_mask", "_label", "_labels");

    /** The channel count {@link #read} takes from the data. */
    public static final int CHANNELS_OF_DATA = 0;

    /**
     * Gray images with binary labels, nothing ignored.
     *
     * @param names  image file names
     * @param images the images
     * @param labels class ids (0, 1) per pixel
     * @return the set
     */
    public static LabelledImages ofGray(List<String> names, List<GrayImage> images, List<int[]> labels) {
        return new LabelledImages(names, images.stream().map(ImageChannels::of).toList(), labels, LabelCoding.BINARY,
                2, List.of(), List.of());
    }

    /**
     * Binary labels of the same names (any extension), nothing ignored.
     *
     * @param imageDir folder of images
     * @param labelDir folder of labels
     * @return the pairs, sorted by name
     * @throws ImageIoException for a missing, unreadable or corrupt file, a size mismatch
     *     between an image and its label, or a label with values other than 0 and one cell value
     */
    public static LabelledImages read(Path imageDir, Path labelDir) throws ImageIoException {
        return read(imageDir, labelDir, LabelCoding.BINARY, 2, -1);
    }

    /**
     * Reads every image in {@code imageDir} and its label in {@code labelDir}.
     *
     * @param imageDir folder of images
     * @param labelDir folder of labels
     * @param coding   how the labels code their pixels
     * @param classes  the number of classes: K for {@link LabelCoding#CLASSES}, 2 otherwise
     * @param ignore   the label value of pixels without loss and metric, or -1 for none
     * @return the pairs, sorted by image name
     * @throws ImageIoException naming the file: missing or ambiguous label, unreadable or
     *     corrupt file, size mismatch, or a label that does not fit its coding
     */
    public static LabelledImages read(Path imageDir, Path labelDir, LabelCoding coding, int classes, int ignore)
            throws ImageIoException {
        return read(imageDir, labelDir, coding, classes, ignore, CHANNELS_OF_DATA);
    }

    /**
     * Reads every image in {@code imageDir} and its label in {@code labelDir}, as images of
     * {@code channels} channels.
     *
     * @param imageDir folder of images
     * @param labelDir folder of labels
     * @param coding   how the labels code their pixels
     * @param classes  the number of classes: K for {@link LabelCoding#CLASSES}, 2 otherwise
     * @param ignore   the label value of pixels without loss and metric, or -1 for none
     * @param channels the channels each image must have, or {@link #CHANNELS_OF_DATA} for the
     *                 data's (1 if every image is gray, or gray saved as RGB)
     * @return the pairs, sorted by image name
     * @throws ImageIoException naming the file: missing or ambiguous label, unreadable or
     *     corrupt file, size mismatch, an image of other channels than the rest (or than
     *     {@code channels}), or a label that does not fit its coding
     */
    public static LabelledImages read(Path imageDir, Path labelDir, LabelCoding coding, int classes, int ignore,
            int channels) throws ImageIoException {
        if (channels < 0) {
            throw new IllegalArgumentException("LabelledImages: channels must be >= 1, or 0 for the data's, got "
                    + channels);
        }
        if (coding != LabelCoding.CLASSES && classes != 2) {
            throw new IllegalArgumentException("LabelledImages: " + coding + " labels make 2 classes, not " + classes);
        }
        Map<String, Path> labelFiles = new HashMap<>();
        for (Path lp : ImageIo.listImagesStrict(labelDir)) {
            String stem = stem(lp);
            Path before = labelFiles.put(stem, lp);
            if (before != null) {
                throw new ImageIoException(lp, "has the same name as " + before.getFileName() + " but another "
                        + "extension; keep one label per image in " + labelDir, null);
            }
        }
        List<String> names = new ArrayList<>();
        List<ImageChannels> images = new ArrayList<>();
        List<Path> imageFiles = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        List<int[]> instances = new ArrayList<>();
        List<boolean[]> ignored = new ArrayList<>();
        for (Path p : ImageIo.listImagesStrict(imageDir)) {
            String name = p.getFileName().toString();
            Path lp = labelOf(p, labelFiles, labelDir);
            ImageChannels img = ImageIo.readChannels(p);
            // Class ids may come as a palette image, one colour per class: the index is the id.
            GrayImage lab = coding == LabelCoding.CLASSES ? ImageIo.readLabelIndices(lp) : ImageIo.readLabel(lp);
            if (img.width() != lab.width() || img.height() != lab.height()) {
                throw new ImageIoException(lp, "label is " + lab.width() + "x" + lab.height() + " but its image "
                        + p + " is " + img.width() + "x" + img.height(), null);
            }
            LabelCoding.Decoded d = coding.decode(lab, lp, classes, ignore);
            labels.add(d.classes());
            if (d.instances() != null) {
                instances.add(d.instances());
            }
            if (ignore >= 0) {
                ignored.add(d.ignored());
            }
            names.add(name);
            images.add(img);
            imageFiles.add(p);
        }
        if (names.isEmpty()) {
            throw new ImageIoException(imageDir, "no .png or .tif images in this folder", null);
        }
        images = withChannels(images, imageFiles, channels);
        return new LabelledImages(List.copyOf(names), List.copyOf(images), List.copyOf(labels), coding, classes,
                List.copyOf(instances), java.util.Collections.unmodifiableList(ignored));
    }

    /**
     * The images as {@code channels} channels: gray (or gray saved as RGB) for 1, as read for
     * more; for {@link #CHANNELS_OF_DATA}, gray if every image is, else the first image's count.
     */
    private static List<ImageChannels> withChannels(List<ImageChannels> images, List<Path> files, int channels)
            throws ImageIoException {
        List<GrayImage> gray = new ArrayList<>(images.size()); // each image's gray channel, or null
        for (ImageChannels img : images) {
            gray.add(img.asGray());
        }
        boolean allGray = !gray.contains(null);
        int want = channels != CHANNELS_OF_DATA ? channels : allGray ? 1 : images.get(0).count();
        List<ImageChannels> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            ImageChannels img = images.get(i);
            if (want == 1 && gray.get(i) != null) {
                out.add(ImageChannels.of(gray.get(i)));
            } else if (img.count() == want) {
                out.add(img);
            } else {
                String kind = img.count() == 1 ? "is gray (1 channel)" : "has " + img.count() + " channels";
                String hint = channels != CHANNELS_OF_DATA ? "give images of " + want + " channels or pass "
                        + "--in-channels " + img.count() : "give all images the same channels (" + want + ", as "
                        + files.get(0).getFileName() + ")";
                throw new ImageIoException(files.get(i), kind + " but " + (channels != CHANNELS_OF_DATA
                        ? "the network takes " + want : "the first image has " + want) + "; " + hint, null);
            }
        }
        return out;
    }

    /** @return the number of channels of every image */
    public int channels() {
        return images.get(0).count();
    }

    private static Path labelOf(Path image, Map<String, Path> labelFiles, Path labelDir) throws ImageIoException {
        String stem = stem(image);
        Path found = null;
        for (String suffix : LABEL_SUFFIXES) {
            Path lp = labelFiles.get(stem + suffix);
            if (lp != null) {
                if (found != null) {
                    throw new ImageIoException(image, "has two labels, " + found.getFileName() + " and "
                            + lp.getFileName() + "; keep one of them in " + labelDir, null);
                }
                found = lp;
            }
        }
        if (found == null) {
            throw new ImageIoException(image, "no label for this image in " + labelDir + ": looked for " + stem
                    + ".png or .tif, with or without _mask or _label", null);
        }
        return found;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /**
     * @param file an image or label file
     * @return the name an image and its label share: without extension and without a
     *         {@link #LABEL_SUFFIXES label suffix} ({@code cell_001_mask.png} gives {@code cell_001})
     */
    public static String pairName(Path file) {
        String stem = stem(file);
        for (String suffix : LABEL_SUFFIXES) {
            if (!suffix.isEmpty() && stem.endsWith(suffix)) {
                return stem.substring(0, stem.length() - suffix.length());
            }
        }
        return stem;
    }

    /**
     * @param k the number of classes
     * @return these images with {@code k} classes (class-id labels whose largest id is below k)
     * @throws IllegalArgumentException if a label has an id of k or more
     */
    public LabelledImages withClasses(int k) {
        long[] h = classHistogram();
        for (int c = k; c < h.length; c++) {
            if (h[c] > 0) {
                throw new IllegalArgumentException("LabelledImages: class " + c + " occurs, so there are more than "
                        + k + " classes");
            }
        }
        return new LabelledImages(names, images, labels, coding, k, instances, ignored);
    }

    /** @return the largest class id of any pixel that is not ignored */
    public int largestClass() {
        int max = 0;
        for (int i = 0; i < size(); i++) {
            boolean[] skip = ignored.isEmpty() ? null : ignored.get(i);
            int[] c = labels.get(i);
            for (int k = 0; k < c.length; k++) {
                if ((skip == null || !skip[k]) && c[k] > max) {
                    max = c[k];
                }
            }
        }
        return max;
    }

    /** @return pixels per class over all images, index = class id (ignored pixels left out) */
    public long[] classHistogram() {
        long[] h = new long[classes];
        for (int i = 0; i < size(); i++) {
            int[] c = labels.get(i);
            boolean[] skip = ignored.isEmpty() ? null : ignored.get(i);
            for (int k = 0; k < c.length; k++) {
                if (skip == null || !skip[k]) {
                    h[c[k]]++;
                }
            }
        }
        return h;
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
            ImageChannels g = images.get(i);
            int[] c = labels.get(i);
            long distinct = java.util.Arrays.stream(c).distinct().count();
            if (distinct == 1 && coding == LabelCoding.BINARY) {
                w.add("label " + names.get(i) + " is all " + (c[0] == 0 ? "membrane (0)" : "cell") + ": it has no "
                        + "boundary to learn; check that 0 marks membrane and another value cells");
            } else if (distinct == 1) {
                w.add("label " + names.get(i) + " is all class " + c[0] + (coding == LabelCoding.INSTANCES
                        ? " (no objects)" : "") + ": it has no boundary to learn");
            }
            if (coding == LabelCoding.INSTANCES) {
                long ids = java.util.Arrays.stream(instances.get(i)).filter(v -> v != 0).distinct().count();
                int[] ci = instances.get(i);
                if (ids == 1 && java.util.Arrays.stream(ci).anyMatch(v -> v == 255 || v == 65535)) {
                    w.add("label " + names.get(i) + " has one object, id " + java.util.Arrays.stream(ci)
                            .max().orElse(0) + ": a binary mask given as instances? each object needs its own id "
                            + "(or pass --labels binary)");
                }
            }
            if (g.width() < 8 || g.height() < 8) {
                w.add("image " + names.get(i) + " is only " + g.width() + "x" + g.height() + " pixels");
            }
        }
        return w;
    }

    private float[][] normalized(ChannelNormalization norm, ImageChannels g, int i) {
        try {
            return norm.apply(g.forNormalization());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image " + names.get(i) + " (" + g.describe() + "): " + e.getMessage(),
                    e);
        }
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
        return new LabelledImages(names.subList(from, to), images.subList(from, to), labels.subList(from, to),
                coding, classes, instances.isEmpty() ? instances : instances.subList(from, to),
                ignored.isEmpty() ? ignored : ignored.subList(from, to));
    }

    /**
     * @return per channel, the mean, standard deviation and range of these images' values, each
     *         scaled by its own bit depth's full scale
     * @throws IllegalArgumentException if there are no images
     */
    public ChannelNormalization normalization() {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("Normalization: no images to fit");
        }
        return ChannelNormalization.fit(images.stream().map(ImageChannels::forNormalization).toList());
    }

    /**
     * @param norm    input normalisation
     * @param weights the weight map configuration, or null for no weight map (all ones)
     * @return one sample per image, of {@link #channels()} channels
     */
    public List<Sample> samples(ChannelNormalization norm, WeightMapConfig weights) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            ImageChannels g = images.get(i);
            float[] w = weights == null ? null : switch (coding) {
                case BINARY -> WeightMap.fromBinary(labels.get(i), g.width(), g.height(), 1, weights);
                case CLASSES -> WeightMap.fromClasses(labels.get(i), g.width(), g.height(), classes, weights);
                case INSTANCES -> WeightMap.fromInstances(instances.get(i), g.width(), g.height(), weights);
            };
            if (!ignored.isEmpty() && ignored.get(i) != null) {
                boolean[] skip = ignored.get(i);
                if (w == null) {
                    w = new float[skip.length];
                    java.util.Arrays.fill(w, 1f);
                }
                for (int k = 0; k < skip.length; k++) {
                    if (skip[k]) {
                        w[k] = 0f; // no loss here
                    }
                }
            }
            out.add(new Sample(normalized(norm, g, i), labels.get(i), w, g.width(), g.height()));
        }
        return out;
    }
}
