package io.github.unet4j.examples;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** Renders arrays as pictures for the docs and the command line (plain Java2D). */
public final class Pictures {
    private Pictures() {
    }

    /**
     * @param v row-major values
     * @param w width
     * @param h height
     * @return a gray picture scaled from the values' min (black) to max (white)
     */
    public static BufferedImage gray(float[] v, int w, int h) {
        float min = min(v);
        float range = range(v, min);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < v.length; i++) {
            int g = Math.round(255 * (v[i] - min) / range);
            img.setRGB(i % w, i / w, (g << 16) | (g << 8) | g);
        }
        return img;
    }

    /**
     * @param v row-major values (e.g. a weight map)
     * @param w width
     * @param h height
     * @return a heat map (dark blue at the minimum through red to yellow at the maximum)
     */
    public static BufferedImage heat(float[] v, int w, int h) {
        float min = min(v);
        float range = range(v, min);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < v.length; i++) {
            float t = (v[i] - min) / range;
            img.setRGB(i % w, i / w, Color.HSBtoRGB(0.66f * (1 - t), 1f, 0.25f + 0.75f * (float) Math.sqrt(t)));
        }
        return img;
    }

    /**
     * @param image    row-major gray values
     * @param classes  row-major class per pixel (0 = membrane)
     * @param w        width
     * @param h        height
     * @param membrane colour painted over class-0 pixels that border a non-zero pixel
     * @return the gray image with the outline of the class-0 regions
     */
    public static BufferedImage outline(float[] image, int[] classes, int w, int h, Color membrane) {
        BufferedImage img = gray(image, w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = classes[y * w + x];
                boolean edge = (x > 0 && classes[y * w + x - 1] != c) || (y > 0 && classes[(y - 1) * w + x] != c);
                if (edge) {
                    img.setRGB(x, y, membrane.getRGB());
                }
            }
        }
        return img;
    }

    /**
     * @param image     row-major gray values
     * @param membraneP probability of membrane per pixel
     * @param w         width
     * @param h         height
     * @return the gray image with predicted membranes (p &gt; 0.5) tinted red in proportion to p
     */
    public static BufferedImage overlay(float[] image, float[] membraneP, int w, int h) {
        BufferedImage img = gray(image, w, h);
        for (int i = 0; i < membraneP.length; i++) {
            float p = membraneP[i];
            if (p > 0.5f) {
                int rgb = img.getRGB(i % w, i / w);
                int g = rgb & 0xFF;
                float a = 0.35f + 0.5f * (p - 0.5f) / 0.5f;
                int r = Math.round((1 - a) * g + a * 255);
                int gb = Math.round((1 - a) * g);
                img.setRGB(i % w, i / w, (r << 16) | (gb << 8) | gb);
            }
        }
        return img;
    }

    /**
     * @param image  row-major gray values
     * @param labels row-major class or instance id per pixel (0 = background, left gray)
     * @param w      width
     * @param h      height
     * @return the gray image with each non-zero id tinted in a colour of its own (ids share
     *         colours in a cycle of golden-ratio hues)
     */
    public static BufferedImage tinted(float[] image, int[] labels, int w, int h) {
        BufferedImage img = gray(image, w, h);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0) {
                int g = img.getRGB(i % w, i / w) & 0xFF;
                int c = colour(labels[i]);
                int r = (int) (0.5 * g + 0.5 * (c >> 16 & 0xFF));
                int gg = (int) (0.5 * g + 0.5 * (c >> 8 & 0xFF));
                int b = (int) (0.5 * g + 0.5 * (c & 0xFF));
                img.setRGB(i % w, i / w, (r << 16) | (gg << 8) | b);
            }
        }
        return img;
    }

    /**
     * @param id a class or instance id
     * @return its colour, {@code 0xRRGGBB}: black for 0 (background), else a hue of its own in a
     *         cycle of golden-ratio steps (as {@link #tinted} draws it)
     */
    public static int colour(int id) {
        return id == 0 ? 0 : Color.HSBtoRGB((id * 0.618034f) % 1f, 0.8f, 1f) & 0xFFFFFF;
    }

    /** @param k the number of ids @return {@link #colour} of ids 0..k-1 */
    public static int[] palette(int k) {
        int[] p = new int[k];
        for (int i = 0; i < k; i++) {
            p[i] = colour(i);
        }
        return p;
    }

    /**
     * @param pictures pictures of equal height
     * @param gap      pixels between them
     * @return them side by side on white
     */
    public static BufferedImage row(List<BufferedImage> pictures, int gap) {
        int w = pictures.stream().mapToInt(BufferedImage::getWidth).sum() + gap * (pictures.size() - 1);
        int h = pictures.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int x = 0;
        for (BufferedImage p : pictures) {
            g.drawImage(p, x, 0, null);
            x += p.getWidth() + gap;
        }
        g.dispose();
        return out;
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    /** @return max - min, or 1 for a constant picture (which then renders at the minimum colour) */
    private static float range(float[] v, float min) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        return max > min ? max - min : 1;
    }
}
