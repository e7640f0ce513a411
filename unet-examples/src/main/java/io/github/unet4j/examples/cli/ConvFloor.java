package io.github.unet4j.examples.cli;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.graph.LayerCall;
import io.github.unet4j.core.layers.Conv2d;
import io.github.unet4j.core.layers.ConvTranspose2d;
import io.github.unet4j.core.runtime.Workspaces;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolution floor of a network: each of its convolutions built alone as the same
 * {@link Conv2d} / {@link ConvTranspose2d} layer the network uses, fed an input of the shape it
 * sees in the network, and timed forward and backward. Everything else (pooling, ReLU, crop,
 * concatenation, loss, optimiser, allocation between layers) is left out, so the sums bound
 * what the network can reach with these ops.
 */
final class ConvFloor {

    /**
     * One convolution of the network with the input shape it sees.
     *
     * @param name        the layer's path, e.g. {@code down2.conv.conv1}
     * @param transposed  whether it is a 2x2 up-convolution (deconv2d) rather than conv2d
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param kernel      kernel size
     * @param padding     VALID or SAME (the up-convolutions are VALID)
     * @param bias        whether it has a bias
     * @param inputShape  {@code [N, inChannels, H, W]}
     */
    record Site(String name, boolean transposed, int inChannels, int outChannels, int kernel, Padding padding,
            boolean bias, long[] inputShape) {

        /**
         * @return floating-point operations of its forward pass, 2 per multiply-add: every output
         *         pixel of every output channel sums inChannels x kernel x kernel products (an
         *         up-convolution: every input pixel makes kernel x kernel outputs per channel pair)
         */
        double forwardFlops() {
            long n = inputShape[0];
            long h = inputShape[2];
            long w = inputShape[3];
            long pixels = transposed ? h * w : padding == Padding.SAME ? h * w : (h - kernel + 1) * (w - kernel + 1);
            return 2.0 * n * inChannels * outChannels * kernel * kernel * pixels;
        }

        /** @return {@code "deconv2d"} or {@code "conv2d"} */
        String op() {
            return transposed ? "deconv2d" : "conv2d";
        }
    }

    /**
     * The time of one convolution alone.
     *
     * @param site     the convolution
     * @param forward  median forward time, seconds
     * @param backward median backward time (dX, dW, db), seconds; NaN when only the forward
     *                 pass was timed
     */
    record Timing(Site site, double forward, double backward) {
    }

    /** Which passes of a convolution {@link #time} runs. */
    enum Passes {
        /** Forward only: the floor of inference (overlap-tile segmentation). */
        FORWARD,
        /** Forward and backward: the floor of training. */
        FORWARD_AND_BACKWARD
    }

    private ConvFloor() {
    }

    /**
     * Lists the network's convolutions in forward order with their input shapes, read from the
     * network's trace ({@link UNet#trace(long[])}): the layer objects it applies, with the shapes
     * they see.
     *
     * @param net        the network
     * @param inputShape the network's input shape
     * @return one site per convolution (23 for the paper's network)
     */
    static List<Site> sites(UNet net, long[] inputShape) {
        List<Site> sites = new ArrayList<>();
        for (LayerCall call : net.trace(inputShape)) {
            long[] in = call.inputShapes().get(0);
            if (call.layer() instanceof Conv2d c) {
                long[] w = c.weight().shape();
                sites.add(new Site(c.name(), false, (int) w[1], (int) w[0], c.kernel(), c.padding(), c.bias() != null,
                        in));
            } else if (call.layer() instanceof ConvTranspose2d u) {
                long[] w = u.weight().shape();
                sites.add(new Site(u.name(), true, (int) w[0], (int) w[1], (int) w[2], Padding.VALID, u.bias() != null,
                        in));
            }
        }
        return sites;
    }

    /**
     * Times one convolution alone: the layer object the network uses, random parameters and
     * input, one untimed forward and backward, then {@code repeats} timed of each, each after an
     * untimed {@code beforeEach} (nothing for the floor; a pass over a large array for the cold
     * floor). With {@link Passes#FORWARD} the backward pass is not run at all.
     *
     * @param site       the convolution
     * @param passes     forward only, or forward and backward
     * @param repeats    timed runs of forward and of backward
     * @param seed       seed of the random tensors
     * @param beforeEach run before each timed forward and each timed backward
     * @return the medians
     */
    static Timing time(Site site, Passes passes, int repeats, long seed, Runnable beforeEach) {
        Layer layer = site.transposed()
                ? new ConvTranspose2d(site.name(), site.inChannels(), site.outChannels(), site.bias(), DataType.FLOAT)
                : new Conv2d(site.name(), site.inChannels(), site.outChannels(), site.kernel(),
                        site.padding(), site.bias(), DataType.FLOAT);
        Nd4j.getRandom().setSeed(seed);
        for (Parameter p : layer.parameters()) {
            p.value().assign(Nd4j.randn(DataType.FLOAT, p.shape()).muli(0.01));
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, site.inputShape());
        INDArray gradOut = Nd4j.rand(DataType.FLOAT, layer.outputShape(site.inputShape()));
        // Outputs come from a reused workspace, as in a training step: the floor is the op, not
        // the first touch of freshly allocated memory. The warm-up sizes the workspaces.
        Runnable forward = () -> Workspaces.run("unet4j-floor-forward", () -> layer.forward(x, Mode.TRAIN).length());
        Runnable backward = () -> Workspaces.run("unet4j-floor-backward", () -> layer.backward(gradOut).length());
        boolean withBackward = passes == Passes.FORWARD_AND_BACKWARD;
        forward.run();
        if (withBackward) {
            backward.run();
        }
        double[] fwd = new double[repeats];
        double[] bwd = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            beforeEach.run();
            fwd[i] = Stopwatch.seconds(forward);
            if (withBackward) {
                beforeEach.run();
                bwd[i] = Stopwatch.seconds(backward);
            }
        }
        layer.clearCache();
        return new Timing(site, Stopwatch.median(fwd), withBackward ? Stopwatch.median(bwd) : Double.NaN);
    }
}
