package io.github.unet4j.train.io;

/** The sample type of a {@link GrayImage} and of the file it is read from or written to. */
public enum BitDepth {
    /** Unsigned 8-bit integers, 0 to 255 (PNG or TIFF). */
    EIGHT(255),
    /** Unsigned 16-bit integers, 0 to 65535 (PNG or TIFF). */
    SIXTEEN(65535),
    /** 32-bit IEEE floats, any finite value (TIFF only); used for probability maps. */
    FLOAT32(Float.MAX_VALUE);

    private final float maxValue;

    BitDepth(float maxValue) {
        this.maxValue = maxValue;
    }

    /** @return the largest value a sample of this depth can hold */
    public float maxValue() {
        return maxValue;
    }

    /**
     * @return what divides this depth's samples before normalisation: the largest value of an
     *         integer depth (255, 65535), 1 for floats, which are taken as they are
     */
    public double fullScale() {
        return this == FLOAT32 ? 1 : maxValue;
    }

    /** @return whether samples are whole numbers ({@link #EIGHT} and {@link #SIXTEEN}) */
    public boolean isInteger() {
        return this != FLOAT32;
    }

    /**
     * Whether {@code value} can be stored exactly at this depth.
     *
     * @param value a sample value
     * @return true for a whole number in range (integer depths) or a finite float
     */
    public boolean accepts(float value) {
        if (!Float.isFinite(value)) {
            return false;
        }
        if (this == FLOAT32) {
            return true;
        }
        return value >= 0f && value <= maxValue && value == Math.rint(value);
    }
}
