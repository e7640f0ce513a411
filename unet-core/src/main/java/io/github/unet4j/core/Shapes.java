package io.github.unet4j.core;

import java.util.Arrays;

/** Shape checks shared by the layers, so that every layer words its errors the same way. */
public final class Shapes {
    private Shapes() {
    }

    /**
     * @param shape a shape
     * @return the number of elements, 1 for a scalar
     */
    public static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * @param shape a shape
     * @return {@code [1, 64, 572, 572]}
     */
    public static String str(long[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * Checks that a shape is {@code [N, channels, H, W]} with N, H, W at least 1.
     *
     * @param layer    what is checking, e.g. {@code "Conv2d 'inc.conv1'"}
     * @param shape    the actual shape
     * @param channels the expected channel count
     * @throws ShapeException naming the layer, the actual and the expected shape
     */
    public static void requireNchw(String layer, long[] shape, long channels) {
        if (shape.length != 4) {
            throw new ShapeException(layer + ": got a rank " + shape.length + " input of shape " + str(shape)
                    + ", expected rank 4 [N, " + channels + ", H, W]");
        }
        if (shape[1] != channels) {
            throw new ShapeException(layer + ": got input shape " + str(shape) + ", expected [N, " + channels
                    + ", H, W] (" + channels + " channels, not " + shape[1] + ")");
        }
        if (shape[0] < 1 || shape[2] < 1 || shape[3] < 1) {
            throw new ShapeException(layer + ": got input shape " + str(shape) + " with an empty dimension");
        }
    }
}
