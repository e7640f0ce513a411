/**
 * Ready-made {@link io.github.unet4j.train.TrainingListener}s: a log through SLF4J, the history
 * of every step and validation (with a CSV form), progress with time remaining for any display,
 * and early stopping on a validation metric.
 */
package io.github.unet4j.train.listeners;
