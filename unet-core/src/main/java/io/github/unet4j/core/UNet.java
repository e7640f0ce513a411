package io.github.unet4j.core;

import io.github.unet4j.core.blocks.BlockFactory;
import io.github.unet4j.core.graph.Block;
import io.github.unet4j.core.graph.Graph;
import io.github.unet4j.core.graph.LayerCall;
import io.github.unet4j.core.graph.Tape;
import io.github.unet4j.core.graph.UpBlock;
import io.github.unet4j.core.graph.Var;
import io.github.unet4j.core.init.HeNormal;
import io.github.unet4j.core.init.Seeds;
import io.github.unet4j.core.layers.Dropout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * loss. The blocks come from a {@link BlockFactory} (the paper's by default), and a
 * {@link Tape} runs them: it owns every array in between, so an encoder map that feeds both the
 * next level and a skip connection receives the sum of both gradients without the network
 * saying so.
 */
public class UNet {

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
    private final Block inc;
    private final List<Block> downs = new ArrayList<>();
    private final Dropout dropout;
    private final List<UpBlock> ups = new ArrayList<>();
    private final Block outc;
    private final Tape tape;

    /**
     * Builds the paper's network and initialises it as the paper does ({@link HeNormal}).
     *
     * @param config the configuration
     * @param dtype  FLOAT for training and inference, DOUBLE for gradient checks
     * @param seed   seed of the initialisation and dropout streams
     */
    public UNet(UNetConfig config, DataType dtype, long seed) {
        this(config, dtype, seed, BlockFactory.PAPER);
    }

    /**
     * Builds a U-Net of the configuration's shape from other blocks, He-initialised.
     *
     * @param config the configuration
     * @param dtype  FLOAT for training and inference, DOUBLE for gradient checks
     * @param seed   seed of the initialisation and dropout streams
     * @param blocks makes the blocks ({@link BlockFactory#PAPER} for the paper's)
     */
    public UNet(UNetConfig config, DataType dtype, long seed, BlockFactory blocks) {
        this.config = Objects.requireNonNull(config, "config");
        this.dtype = dtype;
        int[] c = config.channels();
        this.inc = blocks.inc("inc", config.inChannels(), c[0], config, dtype);
        for (int i = 1; i < c.length; i++) {
            downs.add(blocks.down("down" + i, c[i - 1], c[i], config, dtype));
        }
        this.dropout = new Dropout("dropout", config.dropout(), Seeds.derive(seed, "dropout"));
        for (int i = c.length - 1; i >= 1; i--) {
            ups.add(blocks.up("up" + (c.length - i), c[i], c[i - 1], c[i - 1], config, dtype));
        }
        this.outc = blocks.out("outc", c[0], config.classes(), config, dtype);
        this.tape = Tape.record("UNet", 1, g -> forward(g, g.input(0)));
        new HeNormal().initialize(parameters(), Seeds.stream(seed, "init"));
    }

    /**
     * The paper's figure: down the contracting path keeping each level's map, dropout at the
     * bottom, up the expanding path with the matching skip map, the 1x1 classifier.
     */
    private Var forward(Graph g, Var x) {
        List<Var> skips = new ArrayList<>();
        Var h = g.apply(inc, x);
        for (Block down : downs) {
            skips.add(h);
            h = g.apply(down, h);
        }
        h = g.apply(dropout, h);
        for (UpBlock up : ups) {
            h = g.apply(up, h, skips.remove(skips.size() - 1));
        }
        return g.apply(outc, h);
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
        return tape.activations();
    }

    /**
     * Chooses between keeping activations for backward (fast) and recomputing them block by block
     * during backward (less memory); takes effect from the next forward.
     *
     * @param activations KEEP or RECOMPUTE
     */
    public void setActivations(Activations activations) {
        tape.setActivations(activations);
    }

    /** @return the dropout layer at the end of the contracting path */
    public Dropout dropout() {
        return dropout;
    }

    /** @return all trainable parameters in a fixed order: inc, down1.., up1.., outc */
    public List<Parameter> parameters() {
        return tape.parameters();
    }

    /** @return batch-norm running statistics (empty without batch norm) */
    public List<Buffer> buffers() {
        return tape.buffers();
    }

    /** @return the number of trainable scalars: 31,030,658 for the paper's network */
    public long parameterCount() {
        return parameters().stream().mapToLong(Parameter::size).sum();
    }

    /** Sets every parameter gradient to zero. */
    public void zeroGrad() {
        tape.zeroGrad();
    }

    /**
     * @return every parameter, then every buffer, by name, as PyTorch's {@code state_dict}: the
     *         live arrays, not copies
     */
    public Map<String, INDArray> stateDict() {
        return StateDict.of(parameters(), buffers());
    }

    /**
     * Copies a state dict in, bit for bit (converted to this network's data type), after checking
     * that it holds exactly this network's tensors; on a mismatch nothing changes.
     *
     * @param state tensors by name, as {@link #stateDict()} gives them
     * @throws IllegalArgumentException naming the first missing, extra or misshapen tensor
     */
    public void loadStateDict(Map<String, INDArray> state) {
        StateDict.load(parameters(), buffers(), state, "UNet.loadStateDict");
    }

    /** @return every layer of the network, in the order the figure applies them */
    public List<Object> layers() {
        return tape.layers();
    }

    /**
     * @return how the network applies its layers, as data (for exporters: see
     *         {@code io.github.unet4j.core.onnx.OnnxExport})
     */
    public Tape.Program program() {
        return tape.program();
    }

    /**
     * Every layer application with its input and output shapes, without running anything (for
     * summaries, and for benchmarks that time the network's own layers).
     *
     * @param inputShape {@code [N, inChannels, H, W]}
     * @return one row per layer application, in forward order
     */
    public List<LayerCall> trace(long[] inputShape) {
        checkInput(inputShape);
        return tape.trace(inputShape);
    }

    /**
     * The most memory a pass over a batch of this shape holds at once: the activations at their
     * peak ({@link Tape#peakBytes}: what the arrays' lifetimes keep alive, with scratch for the
     * convolutions) plus the parameters, and in training their gradients. An estimate to refuse a
     * tile too large for memory before allocating it, not an accounting; an optimiser's state
     * comes on top.
     *
     * @param inputShape {@code [N, inChannels, H, W]}
     * @param mode       INFER, or TRAIN for a forward and backward under the current activations mode
     * @return bytes
     * @throws ShapeException as {@link #outputShape}
     */
    public long peakBytes(long[] inputShape, Mode mode) {
        checkInput(inputShape);
        long width = dtype.width();
        long params = parameterCount() * width;
        return tape.peakBytes(mode, width, inputShape) + (mode == Mode.TRAIN ? 2 * params : params);
    }

    /**
     * @param inputShape {@code [N, inChannels, H, W]}
     * @param mode       INFER or TRAIN
     * @return the activations and gradients alone at their peak, as the buffer pool lends them
     *         ({@link Tape#peakArrayBytes}), without scratch or parameters
     */
    public long peakArrayBytes(long[] inputShape, Mode mode) {
        checkInput(inputShape);
        return tape.peakArrayBytes(mode, dtype.width(), inputShape);
    }

    /**
     * @param inputShape {@code [N, inChannels, H, W]}
     * @return {@code [N, classes, H', W']}
     * @throws ShapeException for a wrong rank, channel count or size, naming the nearest valid sizes
     */
    public long[] outputShape(long[] inputShape) {
        checkInput(inputShape);
        return tape.outputShape(inputShape);
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
     * as they are no longer needed ({@link Tape}), whatever the caller does with its own.
     *
     * @param x    {@code [N, inChannels, H, W]}, H and W valid sizes
     * @param mode TRAIN keeps activations for {@link #backward} (see {@link #activations()});
     *             INFER keeps nothing and frees each activation once used
     * @return logits {@code [N, classes, H', W']}, owned by the caller (free them with
     *         {@link BufferPool#release} when done, or leave them to the garbage collector; in
     *         training, not before backward)
     */
    public INDArray forward(INDArray x, Mode mode) {
        checkInput(x.shape());
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return tape.forward(mode, x);
        }
    }

    /**
     * @param gradLogits dL/dLogits, {@code [N, classes, H', W']}; stays the caller's
     * @return dL/dInput, {@code [N, inChannels, H, W]}, owned by the caller
     */
    public INDArray backward(INDArray gradLogits) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return tape.backward(gradLogits);
        }
    }

    /**
     * Frees what the last training forward kept, without a backward; a later backward fails.
     * Forward calls it first, so a training forward that is not followed by a backward (a
     * diverged step, say) leaves nothing behind past the next forward.
     */
    public void clearCache() {
        tape.clearCache();
    }

    /**
     * The blocks with their output shapes and parameter counts, without running the network.
     *
     * @param inputShape {@code [N, inChannels, H, W]}
     * @return one row per block, in forward order (dropout only when it drops)
     */
    public List<BlockSummary> summary(long[] inputShape) {
        checkInput(inputShape);
        List<BlockSummary> rows = new ArrayList<>();
        for (Tape.Part p : tape.parts(inputShape)) {
            if (p.part() == dropout) {
                if (config.dropout() > 0) {
                    rows.add(new BlockSummary(p.name(), "Dropout(" + config.dropout() + ")", p.outputShape(), 0));
                }
            } else {
                rows.add(new BlockSummary(p.name(), p.part().getClass().getSimpleName(), p.outputShape(),
                        p.parameters()));
            }
        }
        return rows;
    }
}
