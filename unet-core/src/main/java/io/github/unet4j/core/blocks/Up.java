package io.github.unet4j.core.blocks;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Upsampling;
import io.github.unet4j.core.graph.Block;
import io.github.unet4j.core.graph.Graph;
import io.github.unet4j.core.graph.UpBlock;
import io.github.unet4j.core.graph.Var;
import io.github.unet4j.core.layers.BilinearUpsample2d;
import io.github.unet4j.core.layers.ConvTranspose2d;
import io.github.unet4j.core.layers.CropAndConcat;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A step up the expanding path: up-sample, crop the skip map and concatenate, then a
 * {@link DoubleConv}.
 *
 * <p>Input x {@code [N, inC, H, W]} and skip {@code [N, skipC, Hs, Ws]} with
 * {@code Hs >= 2H}; output {@code [N, outC, 2H - 4, 2W - 4]} (VALID) or {@code [N, outC, 2H, 2W]}
 * (SAME). With {@link Upsampling#TRANSPOSED} (paper) the 2x2 up-convolution maps inC to outC
 * channels and the double convolution sees {@code skipC + outC}; with
 * {@link Upsampling#BILINEAR} the up-sampling keeps inC and the double convolution sees
 * {@code skipC + inC}. With batch norm the up-convolution has no bias. Layer names: {@code up, concat, conv}.
 */
public final class Up implements UpBlock {
    private final String name;
    private final Layer up;
    private final CropAndConcat concat;
    private final Block conv;

    /**
     * @param name         path in the network
     * @param inChannels   channels of x
     * @param skipChannels channels of the skip map
     * @param outChannels  output channels
     * @param padding      VALID (paper) or SAME
     * @param batchNorm    whether to use batch norm
     * @param upsampling   transposed convolution (paper) or bilinear
     * @param dtype        parameter data type
     */
    public Up(String name, int inChannels, int skipChannels, int outChannels, Padding padding, boolean batchNorm,
            Upsampling upsampling, DataType dtype) {
        this(name, upsampling == Upsampling.TRANSPOSED
                // Before a batch norm a bias is redundant (the norm removes any per-channel constant).
                ? new ConvTranspose2d(name + ".up", inChannels, outChannels, !batchNorm, dtype)
                : new BilinearUpsample2d(name + ".up"),
                new DoubleConv(name + ".conv", skipChannels + (upsampling == Upsampling.TRANSPOSED ? outChannels
                        : inChannels), outChannels, padding, batchNorm, dtype));
    }

    /**
     * A step up with other layers: any up-sampling, and any block after the concatenation.
     *
     * @param name path in the network
     * @param up   the up-sampling layer, named {@code name + ".up"}
     * @param conv the block after the crop-and-concatenate, named {@code name + ".conv"}; its
     *             input has the skip map's channels plus the up-sampled map's
     */
    public Up(String name, Layer up, Block conv) {
        this.name = name;
        this.up = up;
        this.concat = new CropAndConcat(name + ".concat");
        this.conv = conv;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * @param g    the graph
     * @param x    {@code [N, inC, H, W]}
     * @param skip {@code [N, skipC, Hs, Ws]}, Hs &gt;= 2H and Ws &gt;= 2W
     * @return {@code [N, outC, 2H - 4, 2W - 4]} (VALID) or {@code [N, outC, 2H, 2W]} (SAME)
     */
    @Override
    public Var forward(Graph g, Var x, Var skip) {
        return g.apply(conv, g.apply(concat, skip, g.apply(up, x)));
    }
}
