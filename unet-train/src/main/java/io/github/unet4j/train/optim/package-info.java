/**
 * Optimisers that update {@link io.github.unet4j.core.Parameter}s in place from their
 * gradients, and learning-rate schedules.
 *
 * <p>{@link io.github.unet4j.train.optim.Sgd} (with momentum, as the paper trains: momentum
 * 0.99, optionally Nesterov and L2 weight decay) and {@link io.github.unet4j.train.optim.Adam}
 * (Kingma and Ba, bias-corrected, optionally with decoupled AdamW weight decay) follow
 * PyTorch's update equations, so hyperparameters carry over. Each is configured by an
 * immutable, validated record ({@link io.github.unet4j.train.optim.SgdConfig},
 * {@link io.github.unet4j.train.optim.AdamConfig}) whose
 * {@link io.github.unet4j.train.optim.LearningRateSchedule} turns the base rate into the rate of
 * each step. An optimiser owns its per-parameter state, keyed by parameter name, and exports
 * and imports it as an {@link io.github.unet4j.train.optim.OptimizerState} for checkpoints.
 */
package io.github.unet4j.train.optim;
