package io.github.unet4j.core.ops;

import io.github.unet4j.core.BufferPool;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs a large convolution as several calls over bands of rows, each reading and
 * writing views of the whole arrays.
 *
 * <p>Why: inside each call, oneDNN reorders the whole NCHW input and output (and in backward
 * the output gradient and input gradient) into its blocked layout and back: for the paper's
 * first-level convolution hundreds of MB of temporaries, the largest part of a training step's
 * peak memory. Over bands of about {@link #bandBytes()} the temporaries are that small, malloc
 * reuses them from call to call, and the time is the same or better (the bands fit the caches;
 * docs/performance.md, "Measurements behind the code").
 *
 * <p>The band size is a setting ({@link #setBandBytes}, or the system property
 * {@code unet4j.bandBytes}) so that tests can force several bands on tiny arrays;
 * {@code Long.MAX_VALUE} turns banding off.
 */
public final class RowBands {
    /** Default band: input plus output rows of one call, in bytes. */
    public static final long DEFAULT_BAND_BYTES = 4L << 20;
    private static volatile long bandBytes = positive(bytesProperty("unet4j.bandBytes", DEFAULT_BAND_BYTES));

    /**
     * A band of output rows {@code [from, to)}.
     *
     * @param from first row
     * @param to   row after the last
     */
    public record Band(long from, long to) {
        /** @return whether the band starts at row 0 */
        public boolean first() {
            return from == 0;
        }
    }

    private RowBands() {
    }

    /**
     * @param name     a system property giving a size in bytes
     * @param fallback the size when the property is not set
     * @return the property's value, or the fallback
     * @throws IllegalArgumentException if the property is not a whole number, naming it and the default
     */
    public static long bytesProperty(String name, long fallback) {
        String property = System.getProperty(name);
        if (property == null) {
            return fallback;
        }
        try {
            return Long.parseLong(property.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + name + ": '" + property
                    + "' is not a whole number of bytes (default " + fallback + ")");
        }
    }

    private static long positive(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("band size must be >= 1 byte, got " + bytes
                    + " (Long.MAX_VALUE turns banding off)");
        }
        return bytes;
    }

    /**
     * @param bytes input plus output bytes one call of a banded op should touch at most (a
     *              band has at least one row); {@code Long.MAX_VALUE} for one call per op
     */
    public static void setBandBytes(long bytes) {
        bandBytes = positive(bytes);
    }

    /** @return the band size in force, see {@link #setBandBytes} */
    public static long bandBytes() {
        return bandBytes;
    }

    /**
     * @param rows        output rows of the op
     * @param bytesPerRow input plus output bytes per output row
     * @param weightBytes bytes of the op's weights, which every call reorders whole (and in
     *                    backward also their gradient): a band is at least 4x that, so that deep
     *                    layers with large kernels and small maps are not split into calls that
     *                    mostly move weights (the paper's bottom convolution's are 38 MB)
     * @return the bands, in order; a single band when everything fits
     */
    public static List<Band> of(long rows, long bytesPerRow, long weightBytes) {
        return of(rows, bytesPerRow, weightBytes, bandBytes);
    }

    /**
     * As {@link #of(long, long, long)} with a band size of the caller's (a {@link ConvAccelerator}
     * bounds its own temporaries, which differ from ND4J's).
     *
     * @param rows        output rows of the op
     * @param bytesPerRow input plus output bytes per output row
     * @param weightBytes bytes of the op's weights: a band is at least 4x that
     * @param bandBytes   input plus output bytes one call should touch at most; {@code Long.MAX_VALUE} for one call
     * @return the bands, in order; a single band when everything fits
     */
    public static List<Band> of(long rows, long bytesPerRow, long weightBytes, long bandBytes) {
        long band = Math.max(positive(bandBytes), 4 * weightBytes);
        long per = Math.max(1, band / Math.max(1, bytesPerRow));
        List<Band> bands = new ArrayList<>();
        for (long r = 0; r < rows; r += per) {
            bands.add(new Band(r, Math.min(rows, r + per)));
        }
        return bands;
    }

    /**
     * @return rows {@code [from, to)} (axis 2) of an {@code [N, C, H, W]} array: the array itself
     *         when that is all of it (the op then sees no view), else a view
     */
    static INDArray rows(INDArray a, long from, long to) {
        if (from == 0 && to == a.size(2)) {
            return a;
        }
        return a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /**
     * A flat array large enough for the widest band of an op's input rows, for {@link #contiguous}.
     *
     * @param a     the {@code [N, C, H, W]} array whose rows the bands cover
     * @param bands the op's bands of output rows
     * @param extra input rows a band reads beyond its output rows (k - 1 for a VALID convolution)
     */
    static INDArray scratch(INDArray a, List<Band> bands, long extra) {
        long rows = 0;
        for (Band band : bands) {
            rows = Math.max(rows, Math.min(a.size(2), band.to() + extra) - band.from());
        }
        return BufferPool.allocate(a.dataType(), a.size(0) * a.size(1) * rows * a.size(3));
    }

    /** @return a contiguous C-order array of the given shape over the start of the flat array */
    static INDArray contiguous(INDArray flat, long[] shape) {
        return Nd4j.create(flat.data(), shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }
}
