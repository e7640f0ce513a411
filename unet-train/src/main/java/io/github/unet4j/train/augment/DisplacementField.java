package io.github.unet4j.train.augment;

import io.github.unet4j.train.data.Sample;

/**
 * A per-pixel displacement field in backward (pull) form: output pixel {@code (x, y)} reads the
 * input at {@code (x + dx[i], y + dy[i])}, {@code i = y * width + x}, in pixels. Pulling rather
 * than pushing leaves no holes in the output.
 *
 * <p>The arrays are held by reference, not copied; do not modify them after construction.
 *
 * @param dx     horizontal displacement per pixel, length {@code width * height}, finite
 * @param dy     vertical displacement per pixel, length {@code width * height}, finite
 * @param width  the width in pixels, at least 1
 * @param height the height in pixels, at least 1
 */
public record DisplacementField(float[] dx, float[] dy, int width, int height) {

    /** Validates sizes, lengths and finiteness. */
    public DisplacementField {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("DisplacementField: width and height must be >= 1, got "
                    + width + "x" + height);
        }
        int n = Sample.pixels(width, height);
        checkArray("dx", dx, n, width, height);
        checkArray("dy", dy, n, width, height);
    }

    private static void checkArray(String name, float[] a, int n, int width, int height) {
        if (a == null) {
            throw new IllegalArgumentException("DisplacementField: " + name + " must not be null");
        }
        if (a.length != n) {
            throw new IllegalArgumentException("DisplacementField: " + name + " has length " + a.length
                    + ", expected width * height = " + width + " * " + height + " = " + n);
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(a[i])) {
                throw new IllegalArgumentException("DisplacementField: " + name + "[" + i + "] is " + a[i]
                        + ", must be finite");
            }
        }
    }

    /**
     * The zero field.
     *
     * @param width  the width, at least 1
     * @param height the height, at least 1
     * @return a field whose displacements are all 0
     * @throws IllegalArgumentException if a size is below 1
     */
    public static DisplacementField identity(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("DisplacementField: width and height must be >= 1, got "
                    + width + "x" + height);
        }
        int n = Sample.pixels(width, height);
        return new DisplacementField(new float[n], new float[n], width, height);
    }

    /**
     * The field of a rotation about the image centre {@code ((width-1)/2, (height-1)/2)}. Positive
     * angles turn the content counter-clockwise as the image is displayed (y pointing down), the
     * same sense as {@link Transforms#rot90(Sample, int)} and numpy's {@code rot90}.
     *
     * @param width   the width, at least 1
     * @param height  the height, at least 1
     * @param degrees the angle in degrees, finite
     * @return the field
     * @throws IllegalArgumentException if the angle is not finite or a size is wrong
     */
    public static DisplacementField rotation(int width, int height, double degrees) {
        if (!Double.isFinite(degrees)) {
            throw new IllegalArgumentException("DisplacementField: rotation angle must be finite, got " + degrees);
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("DisplacementField: width and height must be >= 1, got "
                    + width + "x" + height);
        }
        int n = Sample.pixels(width, height);
        float[] dx = new float[n];
        float[] dy = new float[n];
        double rad = Math.toRadians(degrees);
        double cos = Math.cos(rad);
        double sin = Math.sin(rad);
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++) {
            double v = y - cy;
            for (int x = 0; x < width; x++) {
                double u = x - cx;
                int i = y * width + x;
                // Source of output (x, y): the centre plus the offset turned back by the angle.
                dx[i] = (float) (cx + cos * u - sin * v - x);
                dy[i] = (float) (cy + sin * u + cos * v - y);
            }
        }
        return new DisplacementField(dx, dy, width, height);
    }

    /** @return the largest absolute displacement component, 0 for the identity */
    public double maxAbs() {
        double m = 0;
        for (int i = 0; i < dx.length; i++) {
            m = Math.max(m, Math.max(Math.abs(dx[i]), Math.abs(dy[i])));
        }
        return m;
    }
}
