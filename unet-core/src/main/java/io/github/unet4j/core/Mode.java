package io.github.unet4j.core;

/** Whether a forward pass is part of training (caches for backward, batch statistics, dropout) or inference. */
public enum Mode {
    /** Training: forward caches what backward needs; batch norm uses batch statistics; dropout is active. */
    TRAIN,
    /** Inference: nothing is cached, batch norm uses running averages, dropout is the identity. */
    INFER
}
