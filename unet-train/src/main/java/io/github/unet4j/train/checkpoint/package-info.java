/**
 * Checkpoints: a network's configuration, parameters, batch-norm statistics and, optionally,
 * its optimiser's state in one zip file of {@code .npy} tensors and JSON, readable and writable
 * from NumPy or PyTorch (the format is described in {@code docs/checkpoint-format.md}).
 *
 * <p>{@link io.github.unet4j.train.checkpoint.Checkpoint#save} writes atomically (a temporary
 * file in the same folder, then an atomic rename), {@link io.github.unet4j.train.checkpoint.Checkpoint#load}
 * reads a file into a {@link io.github.unet4j.train.checkpoint.Checkpoint} and
 * {@link io.github.unet4j.train.checkpoint.Checkpoint#loadInto} copies it, bit for bit, into a
 * network and optimiser after checking that every name and shape matches. The record, its
 * reader and its writer are separate classes; the model part is read by unet-core's
 * {@link io.github.unet4j.core.io.CheckpointArchive}, so that a program that only segments reads
 * the same files without this module. File problems are
 * {@link io.github.unet4j.core.io.CheckpointException}s whose one-line message names
 * the file.
 */
package io.github.unet4j.train.checkpoint;
