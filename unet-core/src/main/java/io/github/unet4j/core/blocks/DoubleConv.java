package io.github.unet4j.core.blocks;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.layers.BatchNorm2d;
import io.github.unet4j.core.layers.Conv2d;
import io.github.unet4j.core.layers.ReLU;
import io.github.unet4j.core.layers.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Two (3x3 convolution [+ batch norm] + ReLU) in a row: one level of the paper's figure.
 *
 * <p>Input {@code [N, inC, H, W]}, output {@code [N, outC, H - 4, W - 4]} (VALID) or
 * {@code [N, outC, H, W]} (SAME). With batch norm the convolutions have no bias (the norm's
 * shift replaces it). Layer names: {@code conv1, bn1, relu1, conv2, bn2, relu2}.
 */
public final class DoubleConv extends Sequential {
    /** The paper's kernel size. */
    public static final int KERNEL = 3;

    /**
     * @param name        path in the network
     * @param inChannels  input channels
     * @param outChannels output channels of both convolutions
     * @param padding     VALID (paper) or SAME
     * @param batchNorm   whether to normalise after each convolution
     * @param dtype       parameter data type
     */
    public DoubleConv(String name, int inChannels, int outChannels, Padding padding, boolean batchNorm,
            DataType dtype) {
        super(name, layers(name, inChannels, outChannels, padding, batchNorm, dtype));
    }

    private static List<Layer> layers(String name, int in, int out, Padding padding, boolean bn, DataType dtype) {
        List<Layer> ls = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            ls.add(new Conv2d(name + ".conv" + i, i == 1 ? in : out, out, KERNEL, padding, !bn, dtype));
            if (bn) {
                ls.add(new BatchNorm2d(name + ".bn" + i, out, dtype));
            }
            // In place: the convolution or batch-norm output before it is kept by no one.
            ls.add(new ReLU(name + ".relu" + i, true));
        }
        return ls;
    }
}
