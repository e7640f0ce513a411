package io.github.unet4j.train.data;

import io.github.unet4j.core.infer.MirrorPad;
import io.github.unet4j.train.data.Sample;

/** Crops windows out of a sample, mirroring where the window leaves the image. */
public final class Crop {
    private Crop() {
    }

    /**
     * @param s    the sample
     * @param top  window row in the sample (may be negative or run past the bottom)
     * @param left window column (may be negative or run past the right)
     * @param h    window height
     * @param w    window width
     * @return the window, with mirrored pixels outside the sample; weight stays null if it was
     */
    public static Sample window(Sample s, int top, int left, int h, int w) {
        int[] rows = new int[h];
        int[] cols = new int[w];
        for (int y = 0; y < h; y++) {
            rows[y] = MirrorPad.reflect(top + y, s.height()) * s.width();
        }
        for (int x = 0; x < w; x++) {
            cols[x] = MirrorPad.reflect(left + x, s.width());
        }
        float[][] ch = new float[s.channels().length][h * w];
        int[] label = new int[h * w];
        float[] weight = s.weight() == null ? null : new float[h * w];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                int src = rows[y] + cols[x];
                for (int c = 0; c < ch.length; c++) {
                    ch[c][i] = s.channels()[c][src];
                }
                label[i] = s.label()[src];
                if (weight != null) {
                    weight[i] = s.weight()[src];
                }
            }
        }
        return new Sample(ch, label, weight, w, h);
    }
}
