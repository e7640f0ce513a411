/**
 * Training data: cropping with mirrored borders, and the tile sampler that feeds the training
 * loop.
 */
package io.github.unet4j.train.data;
