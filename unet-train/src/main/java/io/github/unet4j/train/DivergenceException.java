package io.github.unet4j.train;

/** The training loss became NaN, infinite or exploded; the message says when and what to try. */
public class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message when it happened and advice */
    public DivergenceException(String message) {
        super(message);
    }
}
