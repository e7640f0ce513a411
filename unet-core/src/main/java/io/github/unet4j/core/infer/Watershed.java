package io.github.unet4j.core.infer;

import java.util.PriorityQueue;

/**
 * Objects from a predicted foreground probability by a seeded watershed: seeds are the
 * connected regions where the probability is confident ({@code > seedLevel}), and they grow,
 * most probable pixels first, over the foreground ({@code > threshold}) until they meet. Where
 * a predicted boundary between two touching objects has a gap of a pixel or two, the
 * connected components of the foreground merge the objects; the watershed keeps them apart
 * as long as each has its own confident interior. Foreground regions with no seed become
 * objects of their own; objects smaller than {@code minSize} pixels are dropped. Plain Java
 * over arrays (post-processing, not the network's hot path); 4-connected throughout.
 */
public final class Watershed {
    private Watershed() {
    }

    /**
     * Parameters.
     *
     * @param threshold foreground where the probability is above it (0.5 for argmax of 2 classes)
     * @param seedLevel seeds where it is above this, in (threshold, 1)
     * @param minSize   objects of fewer pixels are dropped (>= 1)
     */
    public record Config(double threshold, double seedLevel, int minSize) {
        /** Validates the fields. */
        public Config {
            if (!(threshold > 0 && threshold < 1) || !(seedLevel > threshold && seedLevel < 1) || minSize < 1) {
                throw new IllegalArgumentException("Watershed.Config: need 0 < threshold < seedLevel < 1 and minSize "
                        + ">= 1, got " + threshold + ", " + seedLevel + ", " + minSize);
            }
        }

        /** @return threshold 0.5, seeds above 0.9, objects of at least 10 pixels */
        public static Config defaults() {
            return new Config(0.5, 0.9, 10);
        }
    }

    /**
     * @param p      foreground probability per pixel, row-major
     * @param width  image width
     * @param height image height
     * @param config parameters
     * @return object ids 1..n per pixel, 0 = background
     */
    public static int[] segment(float[] p, int width, int height, Config config) {
        int n = p.length;
        if ((long) width * height != n || width < 1) {
            throw new IllegalArgumentException("Watershed: " + n + " probabilities for a " + width + "x" + height
                    + " image");
        }
        int[] label = new int[n];
        boolean[] seed = new boolean[n];
        boolean[] fg = new boolean[n];
        for (int i = 0; i < n; i++) {
            fg[i] = p[i] > config.threshold();
            seed[i] = p[i] > config.seedLevel();
        }
        int next = components(seed, width, height, label, 1);
        // Meyer's flooding: the queue holds unlabelled foreground pixels next to a region, most
        // probable first; ties go to the earlier pixel, so the result does not depend on hashing.
        PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Long.compare(a[1], b[1]));
        boolean[] queued = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (label[i] != 0) {
                pushNeighbours(i, width, height, fg, label, queued, p, queue);
            }
        }
        while (!queue.isEmpty()) {
            int i = (int) queue.poll()[1];
            int owner = 0;
            for (int j : neighbours(i, width, height)) {
                if (j >= 0 && label[j] != 0) {
                    owner = label[j];
                    break;
                }
            }
            label[i] = owner;
            pushNeighbours(i, width, height, fg, label, queued, p, queue);
        }
        // Foreground no seed reached: objects of their own.
        boolean[] rest = new boolean[n];
        for (int i = 0; i < n; i++) {
            rest[i] = fg[i] && label[i] == 0;
        }
        components(rest, width, height, label, next);
        return dropSmall(label, config.minSize());
    }

    private static void pushNeighbours(int i, int w, int h, boolean[] fg, int[] label, boolean[] queued, float[] p,
            PriorityQueue<long[]> queue) {
        for (int j : neighbours(i, w, h)) {
            if (j >= 0 && fg[j] && label[j] == 0 && !queued[j]) {
                queued[j] = true;
                // Higher probability first: order by 1 - p in fixed point.
                queue.add(new long[] {Math.round((1 - p[j]) * 1e9), j});
            }
        }
    }

    private static int[] neighbours(int i, int w, int h) {
        int x = i % w;
        int y = i / w;
        return new int[] {x > 0 ? i - 1 : -1, x + 1 < w ? i + 1 : -1, y > 0 ? i - w : -1, y + 1 < h ? i + w : -1};
    }

    /** Labels the 4-connected components of {@code mask} from {@code first} on; returns the next free id. */
    private static int components(boolean[] mask, int w, int h, int[] label, int first) {
        int next = first;
        int[] stack = new int[mask.length];
        for (int s = 0; s < mask.length; s++) {
            if (!mask[s] || label[s] != 0) {
                continue;
            }
            int top = 0;
            stack[top++] = s;
            label[s] = next;
            while (top > 0) {
                int i = stack[--top];
                for (int j : neighbours(i, w, h)) {
                    if (j >= 0 && mask[j] && label[j] == 0) {
                        label[j] = next;
                        stack[top++] = j;
                    }
                }
            }
            next++;
        }
        return next;
    }

    /** Drops objects under {@code minSize} pixels and renumbers the rest 1..k in order of first pixel. */
    private static int[] dropSmall(int[] label, int minSize) {
        int max = 0;
        for (int v : label) {
            max = Math.max(max, v);
        }
        int[] size = new int[max + 1];
        for (int v : label) {
            size[v]++;
        }
        int[] newId = new int[max + 1];
        int k = 0;
        int[] out = new int[label.length];
        for (int i = 0; i < label.length; i++) {
            int v = label[i];
            if (v == 0 || size[v] < minSize) {
                continue;
            }
            if (newId[v] == 0) {
                newId[v] = ++k;
            }
            out[i] = newId[v];
        }
        return out;
    }
}
