package io.github.unet4j.core;

import io.github.unet4j.core.blocks.DoubleConv;
import io.github.unet4j.core.blocks.Down;
import io.github.unet4j.core.blocks.OutConv;
import io.github.unet4j.core.blocks.Up;
import io.github.unet4j.core.init.HeNormal;
import io.github.unet4j.core.init.Seeds;
import io.github.unet4j.core.layers.CropAndConcat;
import io.github.unet4j.core.layers.Dropout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    private Activations activations = Activations.KEEP;
    // What a training forward keeps for backward: the input (not ours), the encoder maps x0..x[d-1]
    // (inc and Down outputs), the dropout output and the Up outputs.
    private INDArray trainInput;
    private INDArray[] encoded;
    private INDArray bottom;
    private INDArray[] decoded;

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

    /** @return what a training forward keeps for backward; {@link Activations#KEEP} unless set */
    public Activations activations() {
        return activations;
    }

    /**
     * Chooses between keeping activations for backward (fast) and recomputing them block by block
     * during backward (less memory); takes effect from the next forward.
     *
     * @param activations KEEP or RECOMPUTE
     */
    public void setActivations(Activations activations) {
        this.activations = Objects.requireNonNull(activations, "activations");
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
     * Runs the network outside any workspace the caller has open: its arrays are freed as soon
     * as they are no longer needed ({@link Tensors}), whatever the caller does with its own.
     *
     * @param x    {@code [N, inChannels, H, W]}, H and W valid sizes
     * @param mode TRAIN caches activations for {@link #backward} (see {@link #activations()});
     *             INFER caches nothing and frees each activation once used
     * @return logits {@code [N, classes, H', W']}, owned by the caller (free them with
     *         {@link Tensors#release} when done, or leave them to the garbage collector)
     */
    public INDArray forward(INDArray x, Mode mode) {
        checkInput(x.shape());
        clearCache();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return mode == Mode.TRAIN ? forwardTrain(x) : forwardInfer(x);
        }
    }

    private INDArray forwardInfer(INDArray x) {
        int levels = downs.size();
        INDArray[] xs = new INDArray[levels + 1];
        xs[0] = inc.forward(x, Mode.INFER);
        for (int j = 0; j < levels; j++) {
            xs[j + 1] = downs.get(j).forward(xs[j], Mode.INFER);
        }
        INDArray h = dropout.forward(xs[levels], Mode.INFER);
        for (int i = 0; i < ups.size(); i++) {
            INDArray skip = xs[levels - 1 - i];
            INDArray next = ups.get(i).forward(h, skip, Mode.INFER);
            Tensors.release(h, x);
            Tensors.release(skip, x);
            h = next;
        }
        INDArray logits = outc.forward(h, Mode.INFER);
        Tensors.release(h, x, logits);
        return logits;
    }

    private INDArray forwardTrain(INDArray x) {
        boolean recompute = activations == Activations.RECOMPUTE;
        int levels = downs.size();
        trainInput = x;
        encoded = new INDArray[levels + 1];
        decoded = new INDArray[ups.size()];
        encoded[0] = inc.forward(x, Mode.TRAIN);
        if (recompute) {
            inc.clearCache();
        }
        for (int j = 0; j < levels; j++) {
            encoded[j + 1] = downs.get(j).forward(encoded[j], Mode.TRAIN);
            if (recompute) {
                downs.get(j).clearCache();
            }
        }
        bottom = dropout.forward(encoded[levels], Mode.TRAIN);
        INDArray h = bottom;
        for (int i = 0; i < ups.size(); i++) {
            decoded[i] = ups.get(i).forward(h, encoded[levels - 1 - i], Mode.TRAIN);
            if (recompute) {
                ups.get(i).clearCache();
            }
            h = decoded[i];
        }
        return outc.forward(h, Mode.TRAIN);
    }

    /**
     * Each array is freed right after the backward of the block that created it: every block
     * that still needs it (as cached input or as skip) runs its backward before its creator.
     *
     * @param gradLogits dL/dLogits, {@code [N, classes, H', W']}; stays the caller's
     * @return dL/dInput, {@code [N, inChannels, H, W]}, owned by the caller
     */
    public INDArray backward(INDArray gradLogits) {
        if (encoded == null) {
            throw new IllegalStateException("UNet: backward called without a forward in Mode.TRAIN before it");
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return backwardOutside(gradLogits);
        }
    }

    private INDArray backwardOutside(INDArray gradLogits) {
        boolean recompute = activations == Activations.RECOMPUTE;
        int levels = downs.size();
        CropAndConcat.SkipGrad[] skipGrads = new CropAndConcat.SkipGrad[levels];
        INDArray g = outc.backward(gradLogits);
        for (int i = ups.size() - 1; i >= 0; i--) {
            Up up = ups.get(i);
            INDArray in = i == 0 ? bottom : decoded[i - 1];
            INDArray skip = encoded[levels - 1 - i];
            if (recompute) {
                decoded[i] = recomputed(decoded[i], up.buffers(), () -> up.forward(in, skip, Mode.TRAIN));
            }
            // Hands over g and the block's output: the block frees them as soon as they are dead.
            Up.Grads ug = up.backwardConsuming(g);
            decoded[i] = null;
            skipGrads[levels - 1 - i] = ug.skip();
            g = ug.x();
        }
        INDArray gd = dropout.backward(g);
        Tensors.release(g, gd);
        Tensors.release(bottom, encoded[levels]);
        g = gd;
        for (int j = levels - 1; j >= 0; j--) {
            Down down = downs.get(j);
            int level = j;
            if (recompute) {
                encoded[j + 1] = recomputed(encoded[j + 1], down.buffers(),
                        () -> down.forward(encoded[level], Mode.TRAIN));
            }
            INDArray gi = down.backwardConsuming(g);
            encoded[j + 1] = null;
            // The encoder map fed both this Down and a skip connection: its gradient is the sum.
            skipGrads[j].addInto(gi);
            Tensors.release(skipGrads[j].window());
            g = gi;
        }
        if (recompute) {
            encoded[0] = recomputed(encoded[0], inc.buffers(), () -> inc.forward(trainInput, Mode.TRAIN));
        }
        INDArray dx = inc.backwardConsuming(g);
        encoded[0] = null;
        forgetTraining();
        return dx;
    }

    /**
     * Runs a block's training forward again to rebuild its caches, with its batch-norm running
     * statistics restored afterwards (the first forward already updated them), and frees the
     * kept output it replaces (identical: same input, same weights, same ops).
     */
    private static INDArray recomputed(INDArray kept, List<Buffer> buffers, Supplier<INDArray> forward) {
        INDArray[] saved = buffers.stream().map(b -> b.value().dup()).toArray(INDArray[]::new);
        INDArray out = forward.get();
        for (int k = 0; k < saved.length; k++) {
            buffers.get(k).value().assign(saved[k]);
            Tensors.release(saved[k]);
        }
        Tensors.release(kept, out);
        return out;
    }

    /**
     * Frees what the last training forward cached, without a backward; a later backward fails.
     * Forward calls it first, so a training forward that is not followed by a backward (a
     * diverged step, say) leaves nothing behind past the next forward.
     */
    public void clearCache() {
        if (encoded == null) {
            return;
        }
        inc.clearCache();
        downs.forEach(Down::clearCache);
        dropout.clearCache();
        ups.forEach(Up::clearCache);
        outc.clearCache();
        INDArray last = encoded[encoded.length - 1];
        Tensors.release(bottom, last, trainInput);
        for (INDArray d : decoded) {
            Tensors.release(d, trainInput);
        }
        for (INDArray e : encoded) {
            Tensors.release(e, trainInput);
        }
        forgetTraining();
    }

    private void forgetTraining() {
        trainInput = null;
        encoded = null;
        decoded = null;
        bottom = null;
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
