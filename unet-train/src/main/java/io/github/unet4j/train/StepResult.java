package io.github.unet4j.train;

/**
 * What one training step did.
 *
 * @param step         steps done so far (1 after the first)
 * @param loss         the loss of this step's batch
 * @param learningRate the learning rate used
 * @param seconds      wall time of the step
 */
public record StepResult(long step, double loss, double learningRate, double seconds) {
}
