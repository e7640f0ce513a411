package io.github.unet4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file could not be written or read. The one-line message starts with
 * {@code checkpoint <path>:} and says what went wrong.
 */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path    the checkpoint file
     * @param problem what went wrong, one line
     * @param cause   the underlying exception, or null
     */
    public CheckpointException(Path path, String problem, Throwable cause) {
        super("checkpoint " + path + ": " + problem, cause);
        this.path = path;
    }

    /** @return the checkpoint file */
    public Path path() {
        return path;
    }
}
