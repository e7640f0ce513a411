package io.github.unet4j.train.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The file formats {@link ImageIo} reads and writes. */
public enum ImageFormat {
    /** Portable Network Graphics: 8- or 16-bit, one image per file. */
    PNG("png"),
    /** Tagged Image File Format: 8-, 16-bit or 32-bit float, one or more pages per file. */
    TIFF("tiff");

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** @return the format name {@code javax.imageio} knows this format by */
    public String imageIoName() {
        return imageIoName;
    }

    /**
     * The format a file name's extension stands for, ignoring case: {@code .png} is
     * {@link #PNG}; {@code .tif} and {@code .tiff} are {@link #TIFF}.
     *
     * @param path a file path
     * @return the format, or empty for any other extension
     */
    public static Optional<ImageFormat> ofFileName(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) {
            return Optional.of(PNG);
        }
        if (lower.endsWith(".tif") || lower.endsWith(".tiff")) {
            return Optional.of(TIFF);
        }
        return Optional.empty();
    }
}
