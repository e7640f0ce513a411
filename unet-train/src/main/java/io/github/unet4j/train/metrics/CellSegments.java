package io.github.unet4j.train.metrics;

import io.github.unet4j.train.weightmap.ConnectedComponents;
import io.github.unet4j.train.weightmap.Connectivity;
import java.util.Objects;

/** Segments of a binary membrane/cell image: the 4-connected components of its cell pixels. */
public final class CellSegments {
    private CellSegments() {
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
        int[] in = image.array();
        boolean[] cell = new boolean[in.length];
        for (int i = 0; i < in.length; i++) {
            cell[i] = convention.isCell(in[i]);
        }
        return new LabelImage(image.width(), image.height(),
                ConnectedComponents.label(cell, image.width(), image.height(), Connectivity.FOUR).labels());
    }
}
