package io.github.unet4j.examples.cli;

import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.infer.OverlapTile;
import io.github.unet4j.core.infer.UNetTileModel;
import io.github.unet4j.core.infer.TilePlan;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;

/** The bench's overlap-tile part: segmenting a whole image against the forward floor. */
final class OverlapTileBench {
    private OverlapTileBench() {
    }

    /**
     * Overlap-tile segmentation of one random image, in rounds, each timing the
     * segmentation and then the forward floor of the network's convolutions: paired within a
     * round as in the main measurement, since a floor taken minutes earlier (the main configuration's)
     * let the machine's drift into the ratio (1.12 and 1.39 in two runs).
     */
    static String run(UNetConfig config, int tile, int batch, int imageSize, int rounds, int repeats, String label,
            PrintWriter err) {
        UNet net = new UNet(config, DataType.FLOAT, BenchSession.SEED);
        UNetTileModel model = UNetTileModel.of(net, tile);
        OverlapTile tiler = new OverlapTile(model, batch);
        int tiles = TilePlan.of(config, tile, imageSize, imageSize).tiles();
        float[] pixels = new float[imageSize * imageSize];
        Random random = new Random(BenchSession.SEED);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        float[][] image = {pixels};
        if (config.inChannels() != 1) {
            image = new float[config.inChannels()][];
            Arrays.fill(image, pixels);
        }
        float[][] channels = image;
        List<ConvFloor.Site> sites = ConvFloor.sites(net, new long[] {batch, config.inChannels(), tile, tile});
        double[] times = new double[rounds];
        double[] ortTimes = new double[rounds];
        double[] chosenTimes = new double[rounds];
        double[] chosenOrtTimes = new double[rounds];
        FloorRounds floors = new FloorRounds(ConvFloor.Passes.FORWARD, sites.size(), rounds, repeats); // inference: no backward
        // The tile predict chooses without --tile (no memory limit here: the bench measures the work).
        TilePlan chosen = TilePlan.choose(config, tile, imageSize, imageSize, batch, (t, b) -> 0, Long.MAX_VALUE);
        double difference;
        double chosenDifference;
        try (TileModels unet = new TileModels(net, false, false); TileModels ort = new TileModels(net, true, false)) {
            OverlapTile ortTiler = new OverlapTile(ort.get(tile), batch);
            OverlapTile chosenTiler = new OverlapTile(unet.get(chosen.tile()), batch);
            OverlapTile chosenOrtTiler = new OverlapTile(ort.get(chosen.tile()), batch);
            float[][] reference = tiler.predict(channels, imageSize, imageSize);
            difference = largestDifference(reference, ortTiler.predict(channels, imageSize, imageSize));
            chosenDifference = Math.max(largestDifference(reference, chosenTiler.predict(channels, imageSize,
                    imageSize)), largestDifference(reference, chosenOrtTiler.predict(channels, imageSize, imageSize)));
            for (int r = 0; r < rounds; r++) {
                BenchCommand.progress(err, "  overlap-tile " + imageSize + "x" + imageSize + ", " + tiles
                        + " tiles, round " + (r + 1) + " of " + rounds + ": segmenting with unet4j and with ONNX "
                        + "Runtime, with tile " + tile + " and " + chosen.tile() + ", the " + sites.size()
                        + " convolutions alone");
                times[r] = Stopwatch.median(1, repeats, () -> tiler.predict(channels, imageSize, imageSize));
                ortTimes[r] = Stopwatch.median(1, repeats, () -> ortTiler.predict(channels, imageSize, imageSize));
                chosenTimes[r] = Stopwatch.median(1, repeats, () -> chosenTiler.predict(channels, imageSize, imageSize));
                chosenOrtTimes[r] = Stopwatch.median(1, repeats, () -> chosenOrtTiler.predict(channels, imageSize,
                        imageSize));
                floors.time(sites, r, () -> { });
            }
        }
        // The floor is per batch of tiles; with a batch of 1 it is per tile.
        double[] floor = floors.forward();
        for (int r = 0; r < rounds; r++) {
            floor[r] = floor[r] / batch * tiles;
        }
        BenchReport.Measured m = new BenchReport.Measured(times, floor);
        double ortTime = Stopwatch.median(ortTimes);
        double chosenTime = Stopwatch.median(chosenTimes);
        double chosenOrt = Stopwatch.median(chosenOrtTimes);
        double mp = (double) imageSize * imageSize / 1e6;
        return String.format("overlap-tile %dx%d image (%s, input tile %d, output tile %d, %d tiles): %.3f s; forward "
                + "floor x tiles = %.3f s; ratio %.2f (median over rounds of the round's time / floor)%n"
                + "overlap-tile engines, tile %d (%d tiles, %.2f M input pixels): unet4j %.3f s (%.3g MP/s), ONNX "
                + "Runtime %.3f s (%.3g MP/s), unet4j/ONNX Runtime time %.2f; largest difference between their maps "
                + "%.2g%n"
                + "overlap-tile engines, tile %d as predict chooses it (%d tile(s), %.2f M input pixels): unet4j "
                + "%.3f s (%.3g MP/s, %.2fx the tile-%d speed), ONNX Runtime %.3f s (%.3g MP/s, %.2fx); largest "
                + "difference from the tile-%d maps %.2g",
                imageSize, imageSize, label, tile, model.outputTile(), tiles, m.median(), m.floor(), m.ratio(),
                tile, tiles, (double) tiles * tile * tile / 1e6, m.median(), mp / m.median(), ortTime, mp / ortTime,
                m.median() / ortTime, difference,
                chosen.tile(), chosen.tiles(), chosen.inputPixels() / 1e6, chosenTime, mp / chosenTime,
                m.median() / chosenTime, tile, chosenOrt, mp / chosenOrt, ortTime / chosenOrt, tile, chosenDifference);
    }

    private static double largestDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int c = 0; c < a.length; c++) {
            for (int i = 0; i < a[c].length; i++) {
                max = Math.max(max, Math.abs(a[c][i] - b[c][i]));
            }
        }
        return max;
    }
}
