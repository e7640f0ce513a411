package io.github.unet4j.core;

/** A tensor of the wrong rank, channel count or size reached a layer or network. */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message names the layer, the actual shape, the expected shape and a hint */
    public ShapeException(String message) {
        super(message);
    }
}
