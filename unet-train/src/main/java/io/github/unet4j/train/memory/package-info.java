/**
 * Memory reuse for the training loop and inference: ND4J workspaces scoped to one unit of work.
 */
package io.github.unet4j.train.memory;
