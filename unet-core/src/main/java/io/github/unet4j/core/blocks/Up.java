package io.github.unet4j.core.blocks;

import io.github.unet4j.core.Buffer;
import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.Tensors;
import io.github.unet4j.core.Upsampling;
import io.github.unet4j.core.layers.BilinearUpsample2d;
import io.github.unet4j.core.layers.ConvTranspose2d;
import io.github.unet4j.core.layers.CropAndConcat;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
public final class Up {

    /**
     * The gradients of {@link #backward}.
     *
     * @param x    dL/dx
     * @param skip dL/dSkip, stored as its crop window
     */
    public record Grads(INDArray x, CropAndConcat.SkipGrad skip) {
    }

    private final String name;
    private final Layer up;
    private final CropAndConcat concat;
    private final DoubleConv conv;
    private INDArray concatenated;

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
        this.name = name;
        int upChannels;
        if (upsampling == Upsampling.TRANSPOSED) {
            // Before a batch norm a bias is redundant (the norm removes any per-channel constant).
            this.up = new ConvTranspose2d(name + ".up", inChannels, outChannels, !batchNorm, dtype);
            upChannels = outChannels;
        } else {
            this.up = new BilinearUpsample2d(name + ".up");
            upChannels = inChannels;
        }
        this.concat = new CropAndConcat(name + ".concat");
        this.conv = new DoubleConv(name + ".conv", skipChannels + upChannels, outChannels, padding, batchNorm, dtype);
    }

    /** @return the path in the network */
    public String name() {
        return name;
    }

    /** @return the up-sampling layer */
    public Layer up() {
        return up;
    }

    /** @return the double convolution after the concatenation */
    public DoubleConv conv() {
        return conv;
    }

    /**
     * @param x    shape of x
     * @param skip shape of the skip map
     * @return shape of the output
     */
    public long[] outputShape(long[] x, long[] skip) {
        return conv.outputShape(concat.outputShape(skip, up.outputShape(x)));
    }

    /**
     * Frees its temporaries: the up-sampled map once concatenated (the up-sampling layers need
     * only their input in backward), and in inference the concatenation once convolved; in
     * training the concatenation is the convolution's cached input, freed after backward.
     *
     * @param x    {@code [N, inC, H, W]}
     * @param skip {@code [N, skipC, Hs, Ws]}, Hs &gt;= 2H and Ws &gt;= 2W
     * @param mode training or inference
     * @return {@code [N, outC, 2H - 4, 2W - 4]} (VALID) or {@code [N, outC, 2H, 2W]} (SAME)
     */
    public INDArray forward(INDArray x, INDArray skip, Mode mode) {
        clearCache();
        INDArray u = up.forward(x, mode);
        INDArray c = concat.forward(skip, u, mode);
        Tensors.release(u, x, skip, c);
        INDArray out = conv.forward(c, mode);
        if (mode == Mode.TRAIN) {
            concatenated = c;
        } else {
            Tensors.release(c, x, skip, out);
        }
        return out;
    }

    /**
     * @param gradOut dL/dOutput
     * @return dL/dx and dL/dSkip
     */
    public Grads backward(INDArray gradOut) {
        return backward(gradOut, false);
    }

    /**
     * As {@link #backward}, and also frees {@code gradOut} and the last forward output once dead
     * (see {@link io.github.unet4j.core.layers.Sequential#backwardConsuming}).
     *
     * @param gradOut dL/dOutput, handed over
     * @return dL/dx and dL/dSkip
     */
    public Grads backwardConsuming(INDArray gradOut) {
        return backward(gradOut, true);
    }

    private Grads backward(INDArray gradOut, boolean consume) {
        INDArray gConcat = consume ? conv.backwardConsuming(gradOut) : conv.backward(gradOut);
        Tensors.release(concatenated); // the convolution's input: dead after its backward
        concatenated = null;
        CropAndConcat.Grads g = concat.backward(gConcat);
        INDArray dx = up.backward(g.up());
        Tensors.release(gConcat);
        clearCache();
        return new Grads(dx, g.skip());
    }

    /** Frees what the last training forward cached, without a backward. */
    public void clearCache() {
        conv.clearCache();
        up.clearCache();
        Tensors.release(concatenated);
        concatenated = null;
    }

    /** @return parameters of the up-sampling and the double convolution */
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(up.parameters());
        ps.addAll(conv.parameters());
        return ps;
    }

    /** @return the batch-norm statistics of the double convolution */
    public List<Buffer> buffers() {
        return conv.buffers();
    }
}
