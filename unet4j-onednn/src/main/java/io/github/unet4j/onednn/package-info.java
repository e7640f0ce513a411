/**
 * The op layer's convolutions through oneDNN directly, found by unet-core's
 * {@link io.github.unet4j.core.ops.ConvAccelerator} service; why and how fast:
 * docs/performance.md, "The table".
 */
package io.github.unet4j.onednn;
