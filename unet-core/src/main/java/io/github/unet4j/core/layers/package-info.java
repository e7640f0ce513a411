/**
 * The layers, each with forward and backward side by side on ND4J's native ops (conv2d,
 * deconv2d, maxpool2d, batchnorm and their _bp ops; no Java loops over activations).
 */
package io.github.unet4j.core.layers;
