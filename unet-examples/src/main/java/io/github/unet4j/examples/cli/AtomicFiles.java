package io.github.unet4j.examples.cli;

import io.github.unet4j.core.io.AtomicFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Output files of the commands, written whole or not at all ({@link AtomicFile}). */
final class AtomicFiles {
    private AtomicFiles() {
    }

    static void write(Path target, byte[] bytes) throws IOException {
        AtomicFile.write(target, temp -> Files.write(temp, bytes), OutputException.class, OutputException::new);
    }

    /** A file the command could not write; the message names it. */
    static final class OutputException extends IOException {
        private static final long serialVersionUID = 1L;

        OutputException(Path path, String problem, Throwable cause) {
            super(path + ": " + problem, cause);
        }
    }

    static void writePng(Path target, BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) {
            throw new UncheckedIOException(new IOException("no PNG writer"));
        }
        write(target, out.toByteArray());
    }

    /**
     * @param dir an output folder
     * @return the folder, created if missing, without the temporary files of killed runs
     * @throws IOException naming the folder if it cannot be created or is not writable
     */
    static Path outputFolder(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException(dir + ": cannot create the output folder (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException(dir + ": the output folder is not writable");
        }
        AtomicFile.removeLeftovers(dir);
        return dir;
    }
}
