/**
 * Reading a trained model without the training module: the model part of a unet4j checkpoint
 * ({@link io.github.unet4j.core.io.ModelFile}; the zip of {@code .npy} tensors and JSON described
 * in {@code docs/checkpoint-format.md}), the configuration's one codec, {@code .npy} tensors, and
 * files written atomically (a temporary file, then an atomic move).
 */
package io.github.unet4j.core.io;
