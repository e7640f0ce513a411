package io.github.unet4j.train.augment;

import io.github.unet4j.train.data.Sample;
import java.util.random.RandomGenerator;

/**
 * The elastic deformation of the U-Net paper: "random displacement vectors on a coarse 3 by 3
 * grid. The displacements are sampled from a Gaussian distribution with 10 pixels standard
 * deviation. Per-pixel displacements are then computed using bicubic interpolation."
 *
 * <p>The grid is laid over the image with node {@code i} of an axis of {@code size} pixels at
 * {@code i * (size - 1) / (gridPoints - 1)}, so the outer nodes sit on the corner pixels. Each
 * node gets an independent Gaussian displacement {@code (dx, dy)} with standard deviation
 * {@link #sigma()}. The per-pixel field is the tensor product of natural cubic splines through the
 * nodes (second derivative 0 at the outer nodes): it passes exactly through the node
 * displacements, is twice continuously differentiable and needs no values beyond the grid,
 * which a cubic-convolution kernel would. The spline is linear in the node values, so each axis
 * precomputes the weight of every node for every pixel once and the field costs
 * {@code 2 * gridPoints} multiply-adds per pixel and component.
 *
 * <p>The field is applied with {@link Warp}: image interpolated, labels nearest neighbour,
 * borders mirrored.
 *
 * @param gridPoints nodes per axis, at least 2 (paper: 3)
 * @param sigma      standard deviation of the node displacements in pixels, finite and at
 *                   least 0 (paper: 10; 0 gives the identity)
 */
public record ElasticDeformation(int gridPoints, double sigma) {

    /** Largest accepted grid; a finer grid is no longer "coarse" and costs per pixel. */
    public static final int MAX_GRID_POINTS = 64;

    /** Validates the fields. */
    public ElasticDeformation {
        if (gridPoints < 2 || gridPoints > MAX_GRID_POINTS) {
            throw new IllegalArgumentException("ElasticDeformation: gridPoints must be in 2.." + MAX_GRID_POINTS
                    + ", got " + gridPoints);
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("ElasticDeformation: sigma must be finite and >= 0, got " + sigma);
        }
    }

    /** @return the paper's deformation: a 3x3 grid, sigma 10 pixels */
    public static ElasticDeformation paper() {
        return new ElasticDeformation(3, 10);
    }

    /**
     * The node displacements of a grid, row-major ({@code index = row * points + column}).
     *
     * @param points nodes per axis, at least 2
     * @param dx     horizontal node displacements in pixels, length {@code points * points}
     * @param dy     vertical node displacements in pixels, length {@code points * points}
     */
    public record ControlGrid(int points, float[] dx, float[] dy) {

        /** Validates the fields. */
        public ControlGrid {
            if (points < 2 || points > MAX_GRID_POINTS) {
                throw new IllegalArgumentException("ControlGrid: points must be in 2.." + MAX_GRID_POINTS
                        + ", got " + points);
            }
            int n = points * points;
            if (dx == null || dx.length != n) {
                throw new IllegalArgumentException("ControlGrid: dx has length " + (dx == null ? "null" : dx.length)
                        + ", expected points * points = " + n);
            }
            if (dy == null || dy.length != n) {
                throw new IllegalArgumentException("ControlGrid: dy has length " + (dy == null ? "null" : dy.length)
                        + ", expected points * points = " + n);
            }
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(dx[i]) || !Float.isFinite(dy[i])) {
                    throw new IllegalArgumentException("ControlGrid: node " + i + " has a non-finite displacement");
                }
            }
        }

        /**
         * Interpolates the node displacements to every pixel of an image with natural cubic
         * splines (see {@link ElasticDeformation}).
         *
         * @param width  the image width, at least 1
         * @param height the image height, at least 1
         * @return the per-pixel field, equal to the node displacements at the node positions
         * @throws IllegalArgumentException if a size is below 1
         */
        public DisplacementField interpolate(int width, int height) {
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("ControlGrid: width and height must be >= 1, got "
                        + width + "x" + height);
            }
            int g = points;
            double[] wx = NaturalCubicSpline.weights(g, width);
            double[] wy = NaturalCubicSpline.weights(g, height);
            int n = Sample.pixels(width, height);
            float[] fx = new float[n];
            float[] fy = new float[n];
            double[] rowX = new double[g];
            double[] rowY = new double[g];
            for (int y = 0; y < height; y++) {
                // Collapse the grid rows with this pixel row's weights, then the columns per pixel.
                for (int i = 0; i < g; i++) {
                    double sx = 0;
                    double sy = 0;
                    for (int j = 0; j < g; j++) {
                        double wj = wy[y * g + j];
                        sx += wj * dx[j * g + i];
                        sy += wj * dy[j * g + i];
                    }
                    rowX[i] = sx;
                    rowY[i] = sy;
                }
                int o = y * width;
                for (int x = 0; x < width; x++) {
                    double sx = 0;
                    double sy = 0;
                    for (int i = 0; i < g; i++) {
                        double wi = wx[x * g + i];
                        sx += wi * rowX[i];
                        sy += wi * rowY[i];
                    }
                    fx[o + x] = (float) sx;
                    fy[o + x] = (float) sy;
                }
            }
            return new DisplacementField(fx, fy, width, height);
        }
    }

    /**
     * Draws the node displacements: for each node in row-major order, {@code dx} then {@code dy},
     * each {@code sigma * rng.nextGaussian()}.
     *
     * @param rng the source of randomness
     * @return the grid
     */
    public ControlGrid drawGrid(RandomGenerator rng) {
        if (rng == null) {
            throw new IllegalArgumentException("ElasticDeformation: rng must not be null");
        }
        int n = gridPoints * gridPoints;
        float[] dx = new float[n];
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            dx[i] = (float) (sigma * rng.nextGaussian());
            dy[i] = (float) (sigma * rng.nextGaussian());
        }
        return new ControlGrid(gridPoints, dx, dy);
    }

    /**
     * Draws a grid and interpolates it: {@code drawGrid(rng).interpolate(width, height)}.
     *
     * @param width  the image width, at least 1
     * @param height the image height, at least 1
     * @param rng    the source of randomness
     * @return the per-pixel field
     */
    public DisplacementField drawField(int width, int height, RandomGenerator rng) {
        return drawGrid(rng).interpolate(width, height);
    }

    /**
     * Deforms a sample with a freshly drawn field ({@link Warp#apply(Sample, DisplacementField,
     * Interpolation)}).
     *
     * @param s             the sample
     * @param rng           the source of randomness
     * @param interpolation how image channels are read
     * @return the deformed sample
     */
    public Sample apply(Sample s, RandomGenerator rng, Interpolation interpolation) {
        if (s == null) {
            throw new IllegalArgumentException("ElasticDeformation: sample must not be null");
        }
        return Warp.apply(s, drawField(s.width(), s.height(), rng), interpolation);
    }
}
