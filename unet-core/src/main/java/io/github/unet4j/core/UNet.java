package io.github.unet4j.core;

import io.github.unet4j.core.blocks.DoubleConv;
import io.github.unet4j.core.blocks.Down;
import io.github.unet4j.core.blocks.OutConv;
import io.github.unet4j.core.blocks.Up;
import io.github.unet4j.core.init.HeNormal;
import io.github.unet4j.core.init.Seeds;
import io.github.unet4j.core.layers.Dropout;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The U-Net of Ronneberger, Fischer and Brox, "U-Net: Convolutional Networks for Biomedical
 * Image Segmentation" (MICCAI 2015), assembled from the paper's parts by looping over the
 * channel list of a {@link UNetConfig}:
 *
 * <pre>
 * inc   = DoubleConv(in, c0)                      x0
 * downs = Down(c0, c1) ... Down(c[d-2], c[d-1])   x1 ... x[d-1]   (dropout on x[d-1])
 * ups   = Up(c[d-1], c[d-2]) ... Up(c1, c0)       each takes the matching skip x[i]
 * outc  = OutConv(c0, classes)                    logits
 * </pre>
 *
 * <p>Input {@code [N, inChannels, H, W]} with H and W valid sizes (see
 * {@link UNetConfig#outputSize(int)}), output logits {@code [N, classes, H', W']}; the paper's
 * network maps {@code [N, 1, 572, 572]} to {@code [N, 2, 388, 388]}. The softmax belongs to the
 * loss. Backward adds into every parameter's gradient; an encoder map that feeds both the next
 * level and a skip connection receives the sum of both gradients.
 */
public final class UNet {

    /**
     * One row of {@link #summary(long[])}.
     *
     * @param name        the block's path in the network
     * @param type        the block's kind (DoubleConv, Down, Dropout, Up, OutConv)
     * @param outputShape the block's output shape
     * @param parameters  the block's parameter count
     */
    public record BlockSummary(String name, String type, long[] outputShape, long parameters) {
    }

    private final UNetConfig config;
    private final DataType dtype;
    private final DoubleConv inc;
    private final List<Down> downs = new ArrayList<>();
    private final Dropout dropout;
    private final List<Up> ups = new ArrayList<>();
    private final OutConv outc;
    private final List<Parameter> parameters;
    private long[][] skipShapes;

    /**
     * Builds the network and initialises it as the paper does ({@link HeNormal}).
     *
     * @param config the configuration
     * @param dtype  FLOAT for training and inference, DOUBLE for gradient checks
     * @param seed   seed of the initialisation and dropout streams
     */
    public UNet(UNetConfig config, DataType dtype, long seed) {
        this.config = config;
        this.dtype = dtype;
        int[] c = config.channels();
        boolean bn = config.batchNorm();
        Padding pad = config.padding();
        this.inc = new DoubleConv("inc", config.inChannels(), c[0], pad, bn, dtype);
        for (int i = 1; i < c.length; i++) {
            downs.add(new Down("down" + i, c[i - 1], c[i], pad, bn, dtype));
        }
        this.dropout = new Dropout("dropout", config.dropout(), Seeds.derive(seed, "dropout"));
        for (int i = c.length - 1; i >= 1; i--) {
            ups.add(new Up("up" + (c.length - i), c[i], c[i - 1], c[i - 1], pad, bn, config.upsampling(), dtype));
        }
        this.outc = new OutConv("outc", c[0], config.classes(), dtype);
        List<Parameter> ps = new ArrayList<>(inc.parameters());
        downs.forEach(d -> ps.addAll(d.parameters()));
        ups.forEach(u -> ps.addAll(u.parameters()));
        ps.addAll(outc.parameters());
        this.parameters = List.copyOf(ps);
        new HeNormal().initialize(parameters, Seeds.stream(seed, "init"));
    }

    /** @return the configuration */
    public UNetConfig config() {
        return config;
    }

    /** @return the parameter data type */
    public DataType dataType() {
        return dtype;
    }

    /** @return the dropout layer at the end of the contracting path */
    public Dropout dropout() {
        return dropout;
    }

    /** @return all trainable parameters in a fixed order: inc, down1.., up1.., outc */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** @return batch-norm running statistics (empty without batch norm) */
    public List<Buffer> buffers() {
        List<Buffer> bs = new ArrayList<>(inc.buffers());
        downs.forEach(d -> bs.addAll(d.buffers()));
        ups.forEach(u -> bs.addAll(u.buffers()));
        return bs;
    }

    /** @return the number of trainable scalars: 31,030,658 for the paper's network */
    public long parameterCount() {
        return parameters.stream().mapToLong(Parameter::size).sum();
    }

    /** Sets every parameter gradient to zero. */
    public void zeroGrad() {
        parameters.forEach(Parameter::zeroGrad);
    }

    /**
     * @param inputShape {@code [N, inChannels, H, W]}
     * @return {@code [N, classes, H', W']}
     * @throws ShapeException for a wrong rank, channel count or size, naming the nearest valid sizes
     */
    public long[] outputShape(long[] inputShape) {
        checkInput(inputShape);
        return new long[] {inputShape[0], config.classes(), config.outputSize((int) inputShape[2]),
                config.outputSize((int) inputShape[3])};
    }

    private void checkInput(long[] s) {
        Shapes.requireNchw("UNet", s, config.inChannels());
        String[] axes = {"height", "width"};
        for (int a = 0; a < 2; a++) {
            long size = s[2 + a];
            if (size > Integer.MAX_VALUE || !config.isValidInputSize((int) size)) {
                throw new ShapeException("UNet: input shape " + Shapes.str(s) + " has " + axes[a] + " " + size
                        + ", which this configuration cannot take; " + config.nearestValidHint((int) Math.min(size,
                                Integer.MAX_VALUE - 1)));
            }
        }
    }

    /**
     * @param x    {@code [N, inChannels, H, W]}, H and W valid sizes
     * @param mode TRAIN caches activations for {@link #backward}; INFER does not
     * @return logits {@code [N, classes, H', W']}
     */
    public INDArray forward(INDArray x, Mode mode) {
        checkInput(x.shape());
        List<INDArray> skips = new ArrayList<>();
        INDArray h = inc.forward(x, mode);
        for (Down d : downs) {
            skips.add(h);
            h = d.forward(h, mode);
        }
        h = dropout.forward(h, mode);
        for (int i = 0; i < ups.size(); i++) {
            h = ups.get(i).forward(h, skips.get(skips.size() - 1 - i), mode);
        }
        if (mode == Mode.TRAIN) {
            skipShapes = skips.stream().map(INDArray::shape).toArray(long[][]::new);
        }
        return outc.forward(h, mode);
    }

    /**
     * @param gradLogits dL/dLogits, {@code [N, classes, H', W']}
     * @return dL/dInput, {@code [N, inChannels, H, W]}
     */
    public INDArray backward(INDArray gradLogits) {
        if (skipShapes == null) {
            throw new IllegalStateException("UNet: backward called without a forward in Mode.TRAIN before it");
        }
        INDArray[] skipGrads = new INDArray[skipShapes.length];
        INDArray g = outc.backward(gradLogits);
        for (int i = ups.size() - 1; i >= 0; i--) {
            Up.Grads ug = ups.get(i).backward(g);
            skipGrads[skipGrads.length - 1 - i] = ug.skip();
            g = ug.x();
        }
        g = dropout.backward(g);
        for (int i = downs.size() - 1; i >= 0; i--) {
            // The encoder map x[i] fed both Down i+1 and a skip: its gradient is the sum.
            g = downs.get(i).backward(g).addi(skipGrads[i]);
        }
        return inc.backward(g);
    }

    /**
     * The blocks with their output shapes and parameter counts, without running the network.
     *
     * @param inputShape {@code [N, inChannels, H, W]}
     * @return one row per block, in forward order
     */
    public List<BlockSummary> summary(long[] inputShape) {
        checkInput(inputShape);
        List<BlockSummary> rows = new ArrayList<>();
        List<long[]> skips = new ArrayList<>();
        long[] s = inc.outputShape(inputShape);
        rows.add(new BlockSummary(inc.name(), "DoubleConv", s, count(inc.parameters())));
        for (Down d : downs) {
            skips.add(s);
            s = d.outputShape(s);
            rows.add(new BlockSummary(d.name(), "Down", s, count(d.parameters())));
        }
        if (config.dropout() > 0) {
            rows.add(new BlockSummary(dropout.name(), "Dropout(" + config.dropout() + ")", s, 0));
        }
        for (int i = 0; i < ups.size(); i++) {
            Up u = ups.get(i);
            s = u.outputShape(s, skips.get(skips.size() - 1 - i));
            rows.add(new BlockSummary(u.name(), "Up", s, count(u.parameters())));
        }
        s = outc.outputShape(s);
        rows.add(new BlockSummary(outc.name(), "OutConv", s, count(outc.parameters())));
        return rows;
    }

    private static long count(List<Parameter> ps) {
        return ps.stream().mapToLong(Parameter::size).sum();
    }
}
