package io.github.unet4j.core.infer;

import io.github.unet4j.core.Padding;
import io.github.unet4j.core.UNetConfig;
import java.util.function.LongBinaryOperator;

/**
 * The square tile that segments an image with the least work: the fewest input pixels pushed
 * through the network ({@code tiles * tile^2}), among the valid tiles up to the one that covers
 * the image whose memory fits a budget. A 512x512 slice through a depth-5 VALID network takes 9
 * tiles of 396 (1.41 M input pixels) or one of 700 (0.49 M). With VALID padding every output
 * pixel sees only its own window of the mirrored image, so every tile size gives the same maps;
 * with SAME padding tile borders change the result, so {@link #choose} keeps the given tile.
 *
 * @param tile   the input tile size (H = W)
 * @param output its output size
 * @param tilesY tiles down the image
 * @param tilesX tiles across
 */
public record TilePlan(int tile, int output, int tilesY, int tilesX) {

    /** @return the tiles */
    public int tiles() {
        return tilesY * tilesX;
    }

    /** @return the input pixels the network processes per channel, {@code tiles * tile^2} */
    public long inputPixels() {
        return (long) tiles() * tile * tile;
    }

    /**
     * @param config the network's configuration
     * @param tile   a valid input tile size
     * @param width  the image's width
     * @param height its height
     * @return how {@link OverlapTile} covers the image with that tile
     */
    public static TilePlan of(UNetConfig config, int tile, int width, int height) {
        int out = config.outputSize(tile);
        return new TilePlan(tile, out, windows(height, out, config.tileStride(out)),
                windows(width, out, config.tileStride(out)));
    }

    /** @return windows of {@code out} every {@code stride} from 0 until one reaches the end, as OverlapTile places them */
    private static int windows(int size, int out, int stride) {
        return size <= out ? 1 : 1 + (size - out + stride - 1) / stride;
    }

    /**
     * @param config   the network's configuration
     * @param fallback the tile to use with SAME padding (the training tile)
     * @param width    the image's width
     * @param height   its height
     * @param batch    tiles per pass at most
     * @param bytes    the memory a pass needs: (tile, tiles in the pass) to bytes
     * @param budget   the bytes available
     * @return the plan of least input pixels within the budget (ties: the larger tile); the
     *         smallest valid tile if none fits, so the caller's memory check names the problem
     */
    public static TilePlan choose(UNetConfig config, int fallback, int width, int height, int batch,
            LongBinaryOperator bytes, long budget) {
        if (config.padding() == Padding.SAME) {
            return of(config, fallback, width, height);
        }
        int covering = config.inputSizeForOutput(Math.max(width, height)); // one window covers the image
        TilePlan best = null;
        TilePlan smallest = null;
        for (int t = config.validInputSizeAtLeast(1); t > 0 && t <= covering; t = config.validInputSizeAtLeast(t + 1)) {
            TilePlan p = of(config, t, width, height);
            smallest = smallest == null ? p : smallest;
            // Not monotonic in the tile: fewer tiles may mean a smaller batch.
            if (bytes.applyAsLong(t, Math.min(batch, p.tiles())) > budget) {
                continue;
            }
            if (best == null || p.inputPixels() <= best.inputPixels()) {
                best = p;
            }
        }
        return best != null ? best : smallest;
    }
}
