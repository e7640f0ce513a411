package io.github.unet4j.train.io;

/** The sample type of a {@link GrayImage} and of the file it is read from or written to. */
public enum BitDepth {
    /** Unsigned 8-bit integers, 0 to 255 (PNG or TIFF). */
    EIGHT(255),
    /** Unsigned 16-bit integers, 0 to 65535 (PNG or TIFF). */
    SIXTEEN(65535),
    /** 32-bit IEEE floats, any finite value (TIFF only); used for probability maps. */
    FLOAT32(Float.MAX_VALUE),
    /**
     * Unsigned 32-bit integers (TIFF only), read for label images alone ({@link ImageIo#readLabel}):
     * instance ids of more than 65535 objects. Held as floats, exact up to 2^24 = 16,777,216,
     * the largest id accepted.
     */
    INT32(16_777_216f);

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

    /** @return whether samples are whole numbers (all but {@link #FLOAT32}) */
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
