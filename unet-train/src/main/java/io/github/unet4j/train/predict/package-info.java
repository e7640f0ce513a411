/**
 * Inference: the overlap-tile strategy with mirrored context, over any per-tile model.
 */
package io.github.unet4j.train.predict;
