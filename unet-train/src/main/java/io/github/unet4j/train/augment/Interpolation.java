package io.github.unet4j.train.augment;

/**
 * How a resampling transform reads an image between pixel centres.
 *
 * <p>All three reproduce the input exactly at integer positions, so a zero displacement is the
 * identity. Labels are always read with {@link #NEAREST}, whatever is chosen for the image.
 */
public enum Interpolation {
    /** The nearest pixel (ties round up); never creates new values. */
    NEAREST,
    /** Bilinear: the 2x2 neighbours; stays within their range (no overshoot). */
    BILINEAR,
    /**
     * Bicubic cubic convolution with {@code a = -0.5} (Catmull-Rom): the 4x4 neighbours, sharper
     * than bilinear, may overshoot slightly at edges.
     */
    BICUBIC
}
