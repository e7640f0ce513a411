package io.github.unet4j.train.metrics;

/**
 * Which pixel values of a binary segmentation mean membrane (cell boundary); all others mean
 * cell interior. Any two cell values are the same class: only membrane versus cell matters.
 */
public enum MembraneLabel {
    /**
     * 0 is membrane, any other value is cell: the ISBI 2012 convention, where labels are
     * 0 (membrane) and 255 (cell), and of a thresholded cell-probability map (1 = cell).
     */
    ZERO,
    /** 0 is cell, any other value is membrane: a class map whose class 1 is the membrane. */
    NONZERO;

    /**
     * @param value a pixel value
     * @return whether {@code value} is a cell-interior pixel under this convention
     */
    public boolean isCell(int value) {
        return this == ZERO ? value != 0 : value == 0;
    }
}
