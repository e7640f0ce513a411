package io.github.unet4j.train.io;

import io.github.unet4j.core.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file could not be read or written: it is missing, unreadable, or its folder is
 * missing or read-only. The message is one line naming the file and the problem; bad file
 * content is the subclass {@link ImageFormatException}.
 */
public class ImageIoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path the file concerned
     * @param problem what went wrong, without the path
     * @param cause the underlying exception, or null
     */
    public ImageIoException(Path path, String problem, Throwable cause) {
        super(path + ": " + AtomicFile.oneLine(problem), cause);
        this.path = path;
    }

    /** @return the file concerned (null after deserialisation) */
    public Path path() {
        return path;
    }
}
