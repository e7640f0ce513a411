package io.github.unet4j.core.blocks;

import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.graph.Block;
import io.github.unet4j.core.graph.UpBlock;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Makes the blocks a {@link io.github.unet4j.core.UNet} is assembled from; each method's default
 * is the paper's block. Override one to put in another block: a residual double convolution, an
 * attention gate on the skip path. A block must keep the configuration's size rules
 * ({@link UNetConfig#outputSize(int)}): the network checks input sizes by them.
 */
public interface BlockFactory {

    /** The paper's blocks. */
    BlockFactory PAPER = new BlockFactory() {
    };

    /**
     * @param name        the block's path ({@code inc})
     * @param inChannels  the image's channels
     * @param outChannels the first level's channels
     * @param config      the network's configuration
     * @param dtype       parameter data type
     * @return the first level's block: a {@link DoubleConv}
     */
    default Block inc(String name, int inChannels, int outChannels, UNetConfig config, DataType dtype) {
        return new DoubleConv(name, inChannels, outChannels, config.padding(), config.batchNorm(), dtype);
    }

    /**
     * @param name        the block's path ({@code down1} ...)
     * @param inChannels  the level above's channels
     * @param outChannels this level's channels
     * @param config      the network's configuration
     * @param dtype       parameter data type
     * @return a step down: a {@link Down}
     */
    default Block down(String name, int inChannels, int outChannels, UNetConfig config, DataType dtype) {
        return new Down(name, inChannels, outChannels, config.padding(), config.batchNorm(), dtype);
    }

    /**
     * @param name         the block's path ({@code up1} ...)
     * @param inChannels   the level below's channels
     * @param skipChannels the skip map's channels
     * @param outChannels  this level's channels
     * @param config       the network's configuration
     * @param dtype        parameter data type
     * @return a step up: an {@link Up}
     */
    default UpBlock up(String name, int inChannels, int skipChannels, int outChannels, UNetConfig config,
            DataType dtype) {
        return new Up(name, inChannels, skipChannels, outChannels, config.padding(), config.batchNorm(),
                config.upsampling(), dtype);
    }

    /**
     * @param name       the block's path ({@code outc})
     * @param inChannels the first level's channels
     * @param classes    the classes
     * @param config     the network's configuration
     * @param dtype      parameter data type
     * @return the classifier: an {@link OutConv}
     */
    default Block out(String name, int inChannels, int classes, UNetConfig config, DataType dtype) {
        return new OutConv(name, inChannels, classes, dtype);
    }
}
