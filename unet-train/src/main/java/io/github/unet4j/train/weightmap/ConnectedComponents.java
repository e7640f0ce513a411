package io.github.unet4j.train.weightmap;

/**
 * Labels the connected components of a binary foreground by breadth-first flooding with an
 * explicit queue: no recursion, so large images cannot overflow the stack. Linear in the pixel count.
 */
public final class ConnectedComponents {

    private ConnectedComponents() {
    }

    /**
     * Labels the 4-connected components of a foreground.
     *
     * @param foreground {@code true} on foreground pixels, row-major, length {@code width * height}
     * @param width      image width, positive
     * @param height     image height, positive
     * @return labels 1..n on the components, 0 on background
     * @throws IllegalArgumentException if the sizes are not positive or do not match the array
     */
    public static Components label(boolean[] foreground, int width, int height) {
        return label(foreground, width, height, Connectivity.FOUR);
    }

    /**
     * Labels the connected components of a foreground.
     *
     * @param foreground   {@code true} on foreground pixels, row-major, length {@code width * height}
     * @param width        image width, positive
     * @param height       image height, positive
     * @param connectivity which neighbours join a component
     * @return labels 1..n on the components, numbered in raster order of their first pixel; 0 on background
     * @throws IllegalArgumentException if the sizes are not positive or do not match the array
     */
    public static Components label(boolean[] foreground, int width, int height, Connectivity connectivity) {
        ImageChecks.notNull(foreground, "foreground");
        ImageChecks.notNull(connectivity, "connectivity");
        ImageChecks.pixels("foreground", foreground.length, width, height);
        int[] labels = new int[foreground.length];
        int count = labelInto(foreground, width, height, connectivity, labels);
        return new Components(width, height, labels, count);
    }

    /** Writes labels into {@code labels} (all zero on entry) and returns the count. No checks. */
    static int labelInto(boolean[] foreground, int width, int height, Connectivity connectivity, int[] labels) {
        boolean diagonals = connectivity == Connectivity.EIGHT;
        // Each pixel is queued at most once over the whole image, so one array of N suffices.
        int[] queue = new int[foreground.length];
        int count = 0;
        for (int seed = 0; seed < foreground.length; seed++) {
            if (!foreground[seed] || labels[seed] != 0) {
                continue;
            }
            count++;
            labels[seed] = count;
            int head = 0;
            int tail = 0;
            queue[tail++] = seed;
            while (head < tail) {
                int p = queue[head++];
                int x = p % width;
                int y = p / width;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = y + dy;
                    if (ny < 0 || ny >= height) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        if ((dx == 0 && dy == 0) || (!diagonals && dx != 0 && dy != 0)) {
                            continue;
                        }
                        int nx = x + dx;
                        if (nx < 0 || nx >= width) {
                            continue;
                        }
                        int q = ny * width + nx;
                        if (foreground[q] && labels[q] == 0) {
                            labels[q] = count;
                            queue[tail++] = q;
                        }
                    }
                }
            }
        }
        return count;
    }
}
