package io.github.unet4j.train.weightmap;

/** Argument checks shared by the classes of this package. */
final class ImageChecks {

    private ImageChecks() {
    }

    /**
     * Checks the sizes and that an image array holds exactly {@code width * height} pixels.
     *
     * @return {@code width * height}
     */
    static int pixels(String name, int length, int width, int height) {
        int n = pixels(width, height);
        if (length != n) {
            throw new IllegalArgumentException(name + " has length " + length + " but width * height = " + n
                    + " (width " + width + ", height " + height + ")");
        }
        return n;
    }

    /** Checks that both sizes are positive and their product fits an int; returns the product. */
    static int pixels(int width, int height) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (height <= 0) {
            throw new IllegalArgumentException("height must be positive, got " + height);
        }
        long n = (long) width * height;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("width * height must fit an int, got " + width + " * " + height);
        }
        return (int) n;
    }

    static void notNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
