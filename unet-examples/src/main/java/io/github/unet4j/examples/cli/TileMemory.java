package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.runtime.MemoryBudget;
import java.util.function.IntToLongFunction;

/**
 * Refuses a tile too large for memory before anything is allocated, naming the memory it would
 * need, what is available and the largest tile that fits (an {@link OutOfMemoryError} stack
 * trace was the answer before).
 */
final class TileMemory {
    private TileMemory() {
    }

    /**
     * @param option what the user typed ("--tile")
     * @param net    the network
     * @param tile   a valid input tile size
     * @param batch  tiles per pass
     * @param mode   INFER to segment, TRAIN to train
     * @param extra  bytes needed besides the pass (an optimiser's state)
     * @throws IllegalArgumentException if it does not fit {@link MemoryBudget#availableBytes()}
     */
    static void check(String option, UNet net, int tile, int batch, Mode mode, long extra) {
        check(option, net, tile, batch, mode, extra, MemoryBudget.availableBytes(), MemoryBudget.describe());
    }

    static void check(String option, UNet net, int tile, int batch, Mode mode, long extra, long available,
            String budget) {
        IntToLongFunction need = t -> net.peakBytes(new long[] {batch, net.config().inChannels(), t, t}, mode) + extra;
        long n = need.applyAsLong(tile);
        if (n <= available) {
            return;
        }
        int fits = largestFitting(net, tile, need, available);
        String what = (batch == 1 ? "one tile" : "a batch of " + batch + " tiles") + " needs about "
                + MemoryBudget.gb(n) + (mode == Mode.TRAIN ? " to train" : " to segment");
        throw new IllegalArgumentException(option + " " + tile + ": " + what + ", but " + MemoryBudget.gb(available)
                + " are free (" + budget + "); " + (fits > 0 ? "the largest tile that fits is " + fits
                        + (batch > 1 ? " (or lower --batch)" : "") : "no tile fits; free memory or raise -Xmx"));
    }

    /** @return the largest valid tile at most {@code tile} that fits, or -1 (the need grows with the tile) */
    private static int largestFitting(UNet net, int tile, IntToLongFunction need, long available) {
        int lo = net.config().validInputSizeAtLeast(1);
        if (need.applyAsLong(lo) > available) {
            return -1;
        }
        int hi = tile; // lo fits, hi does not
        while (true) { // a valid size strictly between lo and hi, or lo is the answer
            int mid = net.config().validInputSizeAtMost(lo + (hi - lo) / 2);
            if (mid <= lo) {
                mid = net.config().validInputSizeAtLeast(lo + 1);
            }
            if (mid < 0 || mid >= hi) {
                return lo;
            }
            if (need.applyAsLong(mid) <= available) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
    }
}
