package io.github.unet4j.train.data;

import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.train.augment.Augmenter;
import io.github.unet4j.train.data.Sample;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws training tiles as the paper does: a random output window inside a random image, with
 * the input window around it ({@code margin = (in - out) / 2} on each side, mirrored where it
 * leaves the image), augmented as a whole, then the label and weight of the central output
 * window.
 *
 * <p>Every random choice comes from the generator passed to {@link #next}, so a training step
 * that derives its generator from (seed, step) is reproducible and resumable.
 */
public final class TileSampler implements BatchSource {
    private final List<Sample> samples;
    private final int inputTile;
    private final int outputTile;
    private final Augmenter augmenter;

    /**
     * Tiles for a U-Net: the output window is the network's output for the input tile.
     *
     * @param samples   training images with labels and (optional) weight maps
     * @param network   the network's configuration
     * @param inputTile network input size (H = W), a valid size of the configuration
     * @param augmenter augmentation of each input window, or null for none
     * @throws IllegalArgumentException if the tile size is not valid for the configuration, naming
     *                                  the nearest valid sizes
     */
    public TileSampler(List<Sample> samples, UNetConfig network, int inputTile, Augmenter augmenter) {
        this(samples, inputTile, outputFor(network, inputTile), augmenter);
    }

    private static int outputFor(UNetConfig network, int inputTile) {
        if (!network.isValidInputSize(inputTile)) {
            throw new IllegalArgumentException("TileSampler: input tile " + inputTile + " is not a valid size for "
                    + "this network; " + network.nearestValidHint(inputTile));
        }
        return network.outputSize(inputTile);
    }

    /**
     * Tiles with explicit windows, for a model with other size rules.
     *
     * @param samples    training images with labels and (optional) weight maps
     * @param inputTile  network input size (H = W)
     * @param outputTile network output size for that input
     * @param augmenter  augmentation of each input window, or null for none
     */
    public TileSampler(List<Sample> samples, int inputTile, int outputTile, Augmenter augmenter) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("TileSampler: no training samples");
        }
        if (outputTile < 1 || inputTile < outputTile || (inputTile - outputTile) % 2 != 0) {
            throw new IllegalArgumentException("TileSampler: input tile " + inputTile + " and output tile "
                    + outputTile + " must satisfy input >= output >= 1 with an even difference");
        }
        int channels = samples.get(0).channelCount();
        for (Sample s : samples) {
            if (s.channelCount() != channels) {
                throw new IllegalArgumentException("TileSampler: samples have " + channels + " and "
                        + s.channelCount() + " channels; all must have the same number");
            }
        }
        this.samples = List.copyOf(samples);
        this.inputTile = inputTile;
        this.outputTile = outputTile;
        this.augmenter = augmenter;
    }

    /** @return the input tile size */
    public int inputTile() {
        return inputTile;
    }

    /** @return the output tile size */
    public int outputTile() {
        return outputTile;
    }

    /**
     * @param batchSize tiles in the batch
     * @param rng       generator of every random choice
     * @return input {@code [B, C, in, in]}, target and weight {@code [B, out, out]}, FLOAT
     */
    @Override
    public Batch next(int batchSize, RandomGenerator rng) {
        int c = samples.get(0).channelCount();
        int inPix = inputTile * inputTile;
        int outPix = outputTile * outputTile;
        float[] x = new float[batchSize * c * inPix];
        float[] t = new float[batchSize * outPix];
        float[] w = new float[batchSize * outPix];
        int margin = (inputTile - outputTile) / 2;
        for (int b = 0; b < batchSize; b++) {
            Sample s = samples.get(rng.nextInt(samples.size()));
            int oy = rng.nextInt(Math.max(1, s.height() - outputTile + 1));
            int ox = rng.nextInt(Math.max(1, s.width() - outputTile + 1));
            Sample tile = Crop.window(s, oy - margin, ox - margin, inputTile, inputTile);
            if (augmenter != null) {
                tile = augmenter.augment(tile, rng);
            }
            for (int ch = 0; ch < c; ch++) {
                System.arraycopy(tile.channels()[ch], 0, x, (b * c + ch) * inPix, inPix);
            }
            for (int y = 0; y < outputTile; y++) {
                int src = (y + margin) * inputTile + margin;
                int dst = b * outPix + y * outputTile;
                for (int i = 0; i < outputTile; i++) {
                    t[dst + i] = tile.label()[src + i];
                    w[dst + i] = tile.weight() == null ? 1f : tile.weight()[src + i];
                }
            }
        }
        return new Batch(Nd4j.create(x, new long[] {batchSize, c, inputTile, inputTile}, DataType.FLOAT),
                Nd4j.create(t, new long[] {batchSize, outputTile, outputTile}, DataType.FLOAT),
                Nd4j.create(w, new long[] {batchSize, outputTile, outputTile}, DataType.FLOAT));
    }
}
