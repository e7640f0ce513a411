package io.github.unet4j.train.predict;

import io.github.unet4j.train.augment.Sample;
import io.github.unet4j.train.data.Crop;
import io.github.unet4j.train.memory.NativeGarbage;
import io.github.unet4j.train.memory.Workspaces;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The paper's overlap-tile strategy (Fig. 2): an image of any size is covered by output tiles;
 * each tile's input is the output window plus the context the network consumes, mirrored where
 * it leaves the image. Tiles are processed in batches and their outputs pasted together, so a
 * VALID network segments the whole image, borders included, without seams.
 */
public final class OverlapTile {
    private final TileModel model;
    private final int batchSize;

    /**
     * @param model     the per-tile predictor
     * @param batchSize tiles per call of the model
     */
    public OverlapTile(TileModel model, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("OverlapTile: batch size must be >= 1, got " + batchSize);
        }
        if ((model.inputTile() - model.outputTile()) % 2 != 0 || model.outputTile() < 1) {
            throw new IllegalArgumentException("OverlapTile: input tile " + model.inputTile() + " and output tile "
                    + model.outputTile() + " must differ by an even number");
        }
        this.model = model;
        this.batchSize = batchSize;
    }

    /**
     * @param channels image channels, each {@code width * height}, row-major, normalised as in training
     * @param width    image width
     * @param height   image height
     * @return per-class maps {@code [classes][width * height]}
     */
    public float[][] predict(float[][] channels, int width, int height) {
        if (channels.length != model.inChannels()) {
            throw new IllegalArgumentException("OverlapTile: the image has " + channels.length
                    + " channels, the model expects " + model.inChannels());
        }
        Sample image = new Sample(channels, new int[width * height], null, width, height);
        int in = model.inputTile();
        int out = model.outputTile();
        int margin = (in - out) / 2;
        List<int[]> origins = new ArrayList<>();
        for (int y = 0; y < height; y += out) {
            for (int x = 0; x < width; x += out) {
                origins.add(new int[] {y, x});
            }
        }
        int k = model.classes();
        float[][] result = new float[k][width * height];
        int c = channels.length;
        for (int start = 0; start < origins.size(); start += batchSize) {
            int n = Math.min(batchSize, origins.size() - start);
            float[] buf = new float[n * c * in * in];
            for (int b = 0; b < n; b++) {
                int[] o = origins.get(start + b);
                Sample tile = Crop.window(image, o[0] - margin, o[1] - margin, in, in);
                for (int ch = 0; ch < c; ch++) {
                    System.arraycopy(tile.channels()[ch], 0, buf, (b * c + ch) * in * in, in * in);
                }
            }
            float[] flat = Workspaces.run("unet4j-inference", () -> model.apply(
                    Nd4j.create(buf, new long[] {n, c, in, in}, DataType.FLOAT)).castTo(DataType.FLOAT).dup('c')
                    .data().asFloat());
            NativeGarbage.collectIfDue();
            for (int b = 0; b < n; b++) {
                int[] o = origins.get(start + b);
                int rows = Math.min(out, height - o[0]);
                int cols = Math.min(out, width - o[1]);
                for (int cl = 0; cl < k; cl++) {
                    int base = (b * k + cl) * out * out;
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(flat, base + r * out, result[cl], (o[0] + r) * width + o[1], cols);
                    }
                }
            }
        }
        return result;
    }

    /**
     * @param maps per-class maps {@code [classes][pixels]}
     * @return the class with the largest value at each pixel (the first on ties)
     */
    public static int[] argmax(float[][] maps) {
        int n = maps[0].length;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < maps.length; c++) {
                if (maps[c][i] > maps[best][i]) {
                    best = c;
                }
            }
            labels[i] = best;
        }
        return labels;
    }
}
