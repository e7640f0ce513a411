package io.github.unet4j.train.metrics;

import java.util.Objects;

/** Segments of a binary membrane/cell image: the 4-connected components of its cell pixels. */
public final class ConnectedComponents {
    private ConnectedComponents() {
    }

    /**
     * Labels the 4-connected components of the cell pixels. 4-connectivity, as in the ISBI
     * 2012 evaluation, means cells touching only at a corner stay separate: a one-pixel
     * diagonal membrane still separates them.
     *
     * @param image a binary segmentation
     * @param convention which values are membrane
     * @return membrane pixels 0, components 1, 2, ... numbered in order of their first pixel
     *     in row-major order
     */
    public static LabelImage label(LabelImage image, MembraneLabel convention) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(convention, "convention");
        int w = image.width();
        int h = image.height();
        int[] in = image.array();
        int n = in.length;
        int[] out = new int[n];
        int[] queue = new int[n]; // each pixel enters at most once: a flat array, no boxing
        int next = 0;
        for (int start = 0; start < n; start++) {
            if (out[start] != 0 || !convention.isCell(in[start])) {
                continue;
            }
            int id = ++next;
            int head = 0;
            int tail = 0;
            out[start] = id;
            queue[tail++] = start;
            while (head < tail) {
                int p = queue[head++];
                int x = p % w;
                int y = p / w;
                if (x > 0) {
                    tail = visit(p - 1, id, in, out, queue, tail, convention);
                }
                if (x < w - 1) {
                    tail = visit(p + 1, id, in, out, queue, tail, convention);
                }
                if (y > 0) {
                    tail = visit(p - w, id, in, out, queue, tail, convention);
                }
                if (y < h - 1) {
                    tail = visit(p + w, id, in, out, queue, tail, convention);
                }
            }
        }
        return new LabelImage(w, h, out);
    }

    private static int visit(int q, int id, int[] in, int[] out, int[] queue, int tail, MembraneLabel convention) {
        if (out[q] == 0 && convention.isCell(in[q])) {
            out[q] = id;
            queue[tail++] = q;
        }
        return tail;
    }
}
