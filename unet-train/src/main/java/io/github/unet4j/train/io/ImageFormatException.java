package io.github.unet4j.train.io;

import java.nio.file.Path;

/**
 * A file exists but its content is not a readable image of a supported kind: not PNG or TIFF,
 * truncated or corrupt, a colour image whose channels differ, or an unsupported sample type.
 * Checked, like its superclass, because a bad file in a data folder is an expected condition
 * that callers (a CLI, a data loader) should report rather than crash on.
 */
public class ImageFormatException extends ImageIoException {
    private static final long serialVersionUID = 1L;

    /**
     * @param path the file concerned
     * @param problem what is wrong with its content, without the path
     * @param cause the underlying exception, or null
     */
    public ImageFormatException(Path path, String problem, Throwable cause) {
        super(path, problem, cause);
    }
}
