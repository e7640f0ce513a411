package io.github.unet4j.train.data;

import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIoException;
import io.github.unet4j.train.weightmap.Instances;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * How a label image codes its pixels ({@code unet train --labels}), and its decoding into the
 * network's class ids, with a one-line error for each common mistake.
 */
public enum LabelCoding {
    /** 0 = background (membrane in ISBI 2012), one other value = foreground; 2 classes. */
    BINARY,
    /** Pixel value = class id 0..K-1 (8- or 16-bit); K classes. */
    CLASSES,
    /**
     * 0 = background, each object its own positive id (8-, 16- or 32-bit); 2 classes, with a
     * background ridge where objects touch ({@link Instances#separate}).
     */
    INSTANCES;

    /**
     * A decoded label.
     *
     * @param classes   class id per pixel, row-major
     * @param instances instance ids with the touching borders made background (INSTANCES), else null
     * @param ignored   pixels with no loss and no metric, or null for none
     */
    public record Decoded(int[] classes, int[] instances, boolean[] ignored) {
    }

    /**
     * @param label   the label image
     * @param path    its file, for messages
     * @param classes the network's classes (K for CLASSES; 2 otherwise)
     * @param ignore  the value of pixels to ignore, or -1 for none
     * @return class ids (and instance ids)
     * @throws ImageIoException naming the file, the problem and what to pass instead
     */
    public Decoded decode(GrayImage label, Path path, int classes, int ignore) throws ImageIoException {
        if (!label.depth().isInteger()) {
            throw new ImageIoException(path, "label is a float image; labels are 8-, 16- or (instances) 32-bit integer images", null);
        }
        int[] v = label.toIntArray();
        int w = label.width();
        boolean[] ignored = null;
        if (ignore >= 0) {
            ignored = new boolean[v.length];
            for (int i = 0; i < v.length; i++) {
                if (v[i] == ignore) {
                    ignored[i] = true;
                    v[i] = 0;
                }
            }
        }
        TreeSet<Integer> values = new TreeSet<>();
        for (int x : v) {
            if (values.size() <= 256) {
                values.add(x);
            }
        }
        switch (this) {
            case BINARY -> {
                if (values.size() > 2) {
                    int third = values.stream().skip(2).findFirst().orElseThrow();
                    throw new ImageIoException(path, "label has " + (values.size() > 256 ? "over 256" : values.size())
                            + " values (" + preview(values) + "); a binary label has 0 for background and one "
                            + "other value; " + (values.first() == 0 && values.size() > 3
                                    ? "for one id per object pass --labels instances, for class ids --labels classes"
                                    : "for class ids pass --labels classes --classes " + (values.last() + 1))
                            + " (first third value " + third + " at " + at(v, third, w) + ")", null);
                }
                int[] c = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    c[i] = v[i] != 0 ? 1 : 0;
                }
                return new Decoded(c, null, ignored);
            }
            case CLASSES -> {
                int max = values.last();
                if (max >= classes) {
                    String hint = values.size() == 2 && values.first() == 0 && (max == 255 || max == 65535)
                            ? "values 0 and " + max + " make a binary mask, not class ids: pass --labels binary, or "
                                    + "write class 1 as 1"
                            : "pass --classes " + (max + 1) + " if there are that many classes, or fix the label";
                    throw new ImageIoException(path, "label value " + max + " at " + at(v, max, w) + " is not a "
                            + "class id 0.." + (classes - 1) + " (--classes " + classes + "); " + hint, null);
                }
                return new Decoded(v, null, ignored);
            }
            default -> {
                int[] separated = Instances.separate(v, w, label.height());
                return new Decoded(Instances.foreground(separated), separated, ignored);
            }
        }
    }

    private static String preview(TreeSet<Integer> values) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (int x : values) {
            if (k++ == 5) {
                return sb.append(", ...").toString();
            }
            sb.append(k > 1 ? ", " : "").append(x);
        }
        return sb.toString();
    }

    private static String at(int[] v, int value, int w) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] == value) {
                return "(x=" + (i % w) + ", y=" + (i / w) + ")";
            }
        }
        return "?";
    }
}
