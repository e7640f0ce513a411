/**
 * The parts of the paper's figure: {@link io.github.unet4j.core.blocks.DoubleConv} (one level),
 * {@link io.github.unet4j.core.blocks.Down} (pool + double conv),
 * {@link io.github.unet4j.core.blocks.Up} (up-sample + crop-and-concat + double conv) and
 * {@link io.github.unet4j.core.blocks.OutConv} (the 1x1 classifier), and the
 * {@link io.github.unet4j.core.blocks.BlockFactory} a {@link io.github.unet4j.core.UNet} is
 * assembled from, where a user puts in blocks of their own.
 */
package io.github.unet4j.core.blocks;
