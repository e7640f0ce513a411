package io.github.unet4j.train.weightmap;

/**
 * Instance label images (0 background, each object its own positive id) for training a
 * two-class network that must keep touching objects apart.
 */
public final class Instances {
    private Instances() {
    }

    /**
     * The paper's treatment of touching objects: every object pixel with a pixel of another
     * object among its 8 neighbours becomes background, so that where two objects touch a
     * separating ridge of background (one pixel on each side, two in all) lies between them,
     * which the border term of the weight map then weighs. Objects that do not touch are left
     * as they are.
     *
     * @param ids    row-major instance ids, {@code >= 0}
     * @param width  image width
     * @param height image height
     * @return a new array: the ids with the touching borders set to 0
     */
    public static int[] separate(int[] ids, int width, int height) {
        ImageChecks.pixels("ids", ids.length, width, height);
        int[] out = ids.clone();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int id = ids[y * width + x];
                if (id == 0) {
                    continue;
                }
                boolean touches = false;
                for (int dy = -1; dy <= 1 && !touches; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
                            int other = ids[ny * width + nx];
                            if (other != 0 && other != id) {
                                touches = true;
                                break;
                            }
                        }
                    }
                }
                if (touches) {
                    out[y * width + x] = 0;
                }
            }
        }
        return out;
    }

    /**
     * @param ids row-major instance ids
     * @return the two-class target: 1 where an object is, 0 elsewhere
     */
    public static int[] foreground(int[] ids) {
        int[] c = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            c[i] = ids[i] != 0 ? 1 : 0;
        }
        return c;
    }
}
