package io.github.unet4j.examples.cli;

import io.github.unet4j.train.StepResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/** A PNG line plot of the training loss and the validation metrics over steps (Java2D, no dependencies). */
final class Plot {
    private static final int W = 900;
    private static final int H = 420;
    private static final int L = 70;
    private static final int R = 230;
    private static final int T = 30;
    private static final int B = 50;
    private static final Color[] COLORS = {new Color(0xD62728), new Color(0x2CA02C), new Color(0x9467BD),
        new Color(0x8C564B), new Color(0xE377C2)};

    private Plot() {
    }

    /**
     * @param steps       the training steps
     * @param validations validation metrics by step
     * @return the plot
     */
    static BufferedImage render(List<StepResult> steps, Map<Long, Map<String, Double>> validations) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        long maxStep = steps.isEmpty() ? 1 : Math.max(1, steps.get(steps.size() - 1).step());
        double[] smooth = new double[steps.size()];
        double maxLoss = 1e-9;
        double ema = Double.NaN;
        for (int i = 0; i < steps.size(); i++) {
            double v = steps.get(i).loss();
            ema = Double.isNaN(ema) ? v : 0.98 * ema + 0.02 * v;
            smooth[i] = ema;
            maxLoss = Math.max(maxLoss, ema);
        }
        g.setColor(Color.BLACK);
        g.drawRect(L, T, W - L - R, H - T - B);
        g.drawString("step", L + (W - L - R) / 2, H - 12);
        g.drawString("0", L - 4, H - B + 16);
        g.drawString(Long.toString(maxStep), W - R - 20, H - B + 16);
        g.drawString(String.format("%.3g", maxLoss), 8, T + 10);
        g.drawString("0", L - 14, H - B);
        g.drawString("1", W - R + 4, T + 10);
        g.drawString("0", W - R + 4, H - B);
        g.drawString("metrics: 0..1 (right axis)", W - R + 10, H - B - 16);
        g.setStroke(new BasicStroke(1.5f));
        g.setColor(new Color(0x1F77B4));
        for (int i = 1; i < steps.size(); i++) {
            g.drawLine(x(steps.get(i - 1).step(), maxStep), y(smooth[i - 1] / maxLoss), x(steps.get(i).step(), maxStep),
                    y(smooth[i] / maxLoss));
        }
        legend(g, 0, new Color(0x1F77B4), "training loss (smoothed, left)");
        List<String> keys = validations.values().stream().findFirst().map(m -> List.copyOf(m.keySet()))
                .orElse(List.of());
        for (int k = 0; k < keys.size(); k++) {
            g.setColor(COLORS[k % COLORS.length]);
            long prevStep = -1;
            double prev = 0;
            for (Map.Entry<Long, Map<String, Double>> e : validations.entrySet()) {
                double v = Math.max(0, Math.min(1, e.getValue().getOrDefault(keys.get(k), 0.0)));
                int cx = x(e.getKey(), maxStep);
                g.fillOval(cx - 3, y(v) - 3, 6, 6);
                if (prevStep >= 0) {
                    g.drawLine(x(prevStep, maxStep), y(prev), cx, y(v));
                }
                prevStep = e.getKey();
                prev = v;
            }
            legend(g, k + 1, COLORS[k % COLORS.length], keys.get(k));
        }
        g.dispose();
        return img;
    }

    private static void legend(Graphics2D g, int row, Color c, String text) {
        int yy = T + 16 + row * 18;
        g.setColor(c);
        g.fillRect(W - R + 10, yy - 8, 12, 8);
        g.setColor(Color.BLACK);
        g.drawString(text.length() > 34 ? text.substring(0, 34) : text, W - R + 28, yy);
    }

    private static int x(long step, long max) {
        return L + (int) ((W - L - R) * (double) step / max);
    }

    private static int y(double frac) {
        return H - B - (int) ((H - T - B) * frac);
    }
}
