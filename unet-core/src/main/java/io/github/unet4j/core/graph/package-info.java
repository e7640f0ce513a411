/**
 * How a network is wired and run: blocks ({@link io.github.unet4j.core.graph.Block},
 * {@link io.github.unet4j.core.graph.UpBlock}) apply layers to symbolic values
 * ({@link io.github.unet4j.core.graph.Var}) on a {@link io.github.unet4j.core.graph.Graph} once,
 * when the network is assembled; the {@link io.github.unet4j.core.graph.Tape} runs the record
 * forward and backward and is the one owner of the arrays in between (lifetimes, summed
 * gradients of values read twice, recomputation). Layers and blocks hold only their maths and
 * their caches.
 */
package io.github.unet4j.core.graph;
