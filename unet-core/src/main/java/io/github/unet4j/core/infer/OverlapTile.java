package io.github.unet4j.core.infer;

import io.github.unet4j.core.runtime.NativeGarbage;
import io.github.unet4j.core.runtime.Workspaces;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
        int in = model.inputTile();
        int out = model.outputTile();
        int margin = (in - out) / 2;
        // Windows start on the model's grid (the stride), so every pixel is computed the same way
        // whatever the tile size; consecutive windows overlap by out - stride.
        int stride = model.stride();
        if (stride < 1 || stride > out) {
            throw new IllegalArgumentException("OverlapTile: the model's stride " + stride + " must be in 1.." + out);
        }
        List<int[]> origins = new ArrayList<>();
        for (int y = 0;; y += stride) { // until a window reaches the last row
            for (int x = 0;; x += stride) {
                origins.add(new int[] {y, x});
                if (x + out >= width) {
                    break;
                }
            }
            if (y + out >= height) {
                break;
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
                window(channels, width, height, o[0] - margin, o[1] - margin, in, buf, b * c * in * in);
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
     * Copies an {@code in x in} window of every channel into {@code buf} at {@code offset},
     * channel after channel, mirroring rows and columns that leave the image.
     */
    private static void window(float[][] channels, int width, int height, int top, int left, int in, float[] buf,
            int offset) {
        int[] cols = new int[in];
        for (int x = 0; x < in; x++) {
            cols[x] = MirrorPad.reflect(left + x, width);
        }
        int o = offset;
        for (float[] ch : channels) {
            for (int y = 0; y < in; y++) {
                int row = MirrorPad.reflect(top + y, height) * width;
                for (int x = 0; x < in; x++) {
                    buf[o++] = ch[row + cols[x]];
                }
            }
        }
    }

    /**
     * Segments an image held as an array.
     *
     * @param image {@code [C, H, W]} or {@code [1, C, H, W]}, normalised as in training, any data type
     * @return per-class maps {@code [classes, H, W]}, float
     * @throws IllegalArgumentException if the rank or the channel count does not fit the model
     */
    public INDArray predict(INDArray image) {
        long[] s = image.shape();
        if (!(s.length == 3 || s.length == 4 && s[0] == 1)) {
            throw new IllegalArgumentException("OverlapTile: image shape " + java.util.Arrays.toString(s)
                    + " is neither [C, H, W] nor [1, C, H, W]; segment a batch one image at a time");
        }
        int c = (int) s[s.length - 3];
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        float[] flat = image.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[][] channels = new float[c][];
        for (int ch = 0; ch < c; ch++) {
            channels[ch] = java.util.Arrays.copyOfRange(flat, ch * h * w, (ch + 1) * h * w);
        }
        float[][] maps = predict(channels, w, h);
        float[] out = new float[maps.length * h * w];
        for (int k = 0; k < maps.length; k++) {
            System.arraycopy(maps[k], 0, out, k * h * w, h * w);
        }
        return Nd4j.create(out, new long[] {maps.length, h, w}, DataType.FLOAT);
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
