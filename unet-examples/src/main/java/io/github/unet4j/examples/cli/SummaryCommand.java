package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.runtime.NativeBackend;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code unet summary}: the network's blocks, shapes and parameter counts, and one timed forward pass. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print the network's blocks with output shapes and parameter counts, then time a forward "
                + "pass of a random tile. The defaults are the paper's network and its 572x572 tile.")
public final class SummaryCommand implements Callable<Integer> {

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Option(names = "--tile", description = "Input tile height and width, e.g. 572 or 572x380 (default: ${DEFAULT-VALUE}).")
    String tile = "572";

    @Option(names = "--batch", description = "Tiles per forward pass (default: ${DEFAULT-VALUE}).")
    int batch = 1;

    @Option(names = "--no-timing", description = "Only print the table.")
    boolean noTiming;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        UNetConfig config = network.toConfig();
        int[] hw = Tiles.parse(tile);
        long[] inShape = {batch, config.inChannels(), hw[0], hw[1]};
        UNet net = new UNet(config, DataType.FLOAT, 42);
        List<UNet.BlockSummary> rows = net.summary(inShape);
        out.printf("%-8s %-16s %-24s %,14d%n", "input", "", Arrays.toString(inShape), 0);
        for (UNet.BlockSummary r : rows) {
            out.printf("%-8s %-16s %-24s %,14d%n", r.name(), r.type(), Arrays.toString(r.outputShape()),
                    r.parameters());
        }
        long[] outShape = net.outputShape(inShape);
        out.printf("%nparameters: %,d%n", net.parameterCount());
        out.printf("convolution layers: %d%n", config.convolutionLayers());
        out.printf("input %dx%d -> output %dx%d%n", hw[0], hw[1], outShape[2], outShape[3]);
        if (!noTiming) {
            out.println("backend: " + NativeBackend.describe());
            INDArray x = Nd4j.rand(DataType.FLOAT, inShape);
            long t0 = System.nanoTime();
            net.forward(x, Mode.INFER);
            long t1 = System.nanoTime();
            net.forward(x, Mode.INFER);
            long t2 = System.nanoTime();
            out.printf("forward pass (float, %d thread(s)): first %.2f s, second %.2f s%n",
                    Nd4j.getEnvironment().maxThreads(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
        out.flush();
        return 0;
    }
}
