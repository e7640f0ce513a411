package io.github.unet4j.train;

import io.github.unet4j.train.data.Sample;
import java.util.Random;

/** Synthetic training images: two touching discs separated by a thin membrane, with noise. */
final class Blobs {
    private Blobs() {
    }

    /**
     * @param size image width and height
     * @param seed noise seed
     * @return label 1 inside the discs, 0 on the membrane and background; image bright in cells
     */
    static Sample twoTouchingDiscs(int size, long seed) {
        Random r = new Random(seed);
        float[] img = new float[size * size];
        int[] label = new int[size * size];
        double rad = size * 0.26;
        double cy = size / 2.0;
        double c1 = size / 2.0 - rad - 0.5;
        double c2 = size / 2.0 + rad + 0.5;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean in1 = Math.hypot(x - c1, y - cy) < rad;
                boolean in2 = Math.hypot(x - c2, y - cy) < rad;
                boolean cell = (in1 || in2) && Math.abs(x - size / 2.0) > 1;
                label[y * size + x] = cell ? 1 : 0;
                img[y * size + x] = (float) ((cell ? 0.8 : -0.8) + 0.2 * r.nextGaussian());
            }
        }
        return Sample.of(img, label, null, size, size);
    }
}
