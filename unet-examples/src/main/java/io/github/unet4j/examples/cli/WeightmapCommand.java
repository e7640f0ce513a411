package io.github.unet4j.examples.cli;

import io.github.unet4j.examples.Pictures;
import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.weightmap.WeightMap;
import io.github.unet4j.train.weightmap.WeightMapConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unet weightmap}: the paper's weight map (eq. 2) of a binary label image, as a picture. */
@Command(name = "weightmap", mixinStandardHelpOptions = true,
        description = "Write the weight map w(x) = wc(x) + w0 exp(-(d1 + d2)^2 / 2 sigma^2) of a binary label image "
                + "(0 = membrane/background, anything else = cell) as a heat-map PNG, or as a 32-bit float TIFF "
                + "when the output ends in .tif.")
public final class WeightmapCommand implements Callable<Integer> {

    @Option(names = "--label", required = true, description = "Binary label image.")
    Path label;

    @Option(names = "--out", required = true, description = "Output .png (picture) or .tif (float values).")
    Path out;

    @Option(names = "--w0", description = "Border weight (default: ${DEFAULT-VALUE}).")
    double w0 = 10;

    @Option(names = "--sigma", description = "Border width in pixels (default: ${DEFAULT-VALUE}).")
    double sigma = 5;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        GrayImage g = ImageIo.readLabel(label);
        int[] v = g.toIntArray();
        int[] cells = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            cells[i] = v[i] != 0 ? 1 : 0;
        }
        float[] w = WeightMap.fromBinary(cells, g.width(), g.height(), 1,
                WeightMapConfig.paper().withW0(w0).withSigma(sigma));
        String n = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".tif") || n.endsWith(".tiff")) {
            ImageIo.write(new GrayImage(g.width(), g.height(), w, BitDepth.FLOAT32), out);
        } else if (n.endsWith(".png")) {
            AtomicFiles.writePng(out, Pictures.heat(w, g.width(), g.height()));
        } else {
            throw new IllegalArgumentException(out + ": the output must end in .png or .tif");
        }
        float max = 0;
        for (float x : w) {
            max = Math.max(max, x);
        }
        spec.commandLine().getErr().printf("wrote %s (weights %.3f .. %.3f)%n", out, min(w), max);
        spec.commandLine().getErr().flush();
        return 0;
    }

    private static float min(float[] w) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : w) {
            m = Math.min(m, x);
        }
        return m;
    }
}
