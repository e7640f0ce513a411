package io.github.unet4j.train.io;

import io.github.unet4j.core.io.AtomicFile;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reads and writes grayscale PNG and TIFF files with the JDK's {@code javax.imageio}.
 *
 * <p>Reading accepts 8- and 16-bit gray images, 32-bit float TIFF, palette images whose used
 * colours are gray (this covers 1-, 2- and 4-bit gray PNG), and RGB images whose three channels
 * are equal everywhere; an alpha channel is ignored. The format is recognised from the content,
 * not the file name. Anything else fails with an {@link ImageFormatException}.
 *
 * <p>Writing picks the format from the extension ({@code .png}, {@code .tif}, {@code .tiff}) and
 * the sample type from the image's {@link BitDepth}; float images can only go to TIFF. Every
 * write goes to a temporary file in the target's folder that is then moved over the target
 * (atomically where the file system supports it), so a failed write leaves neither a partial
 * image nor a temporary file behind.
 *
 * <p>All methods are static and thread-safe; each call uses its own reader or writer.
 */
public final class ImageIo {

    private ImageIo() {
    }

    /**
     * Reads a single grayscale image (the first page of a multi-page TIFF).
     *
     * @param path a PNG or TIFF file
     * @return the image with the file's bit depth
     * @throws ImageFormatException if the file is not a supported gray image or is corrupt
     * @throws ImageIoException if the file is missing or cannot be read
     */
    public static GrayImage read(Path path) throws ImageIoException {
        return withReader(path, reader -> {
            if (reader.getNumImages(true) < 1) {
                throw new ImageFormatException(path, "contains no image", null);
            }
            return toGray(reader.read(0), path, 0);
        });
    }

    /**
     * Reads a label image: for an indexed-colour (palette) image, the palette index of each
     * pixel (how labelling tools save class ids with a colour per class); any other image as
     * {@link #read} does.
     *
     * @param path a PNG or TIFF file
     * @return the palette indices (8-bit), or the image as {@link #readLabel} reads it
     * @throws ImageFormatException if the file is not a supported image or is corrupt
     * @throws ImageIoException if the file is missing or cannot be read
     */
    public static GrayImage readLabelIndices(Path path) throws ImageIoException {
        return withReader(path, reader -> {
            if (reader.getNumImages(true) < 1) {
                throw new ImageFormatException(path, "contains no image", null);
            }
            BufferedImage b = reader.read(0);
            if (b.getColorModel() instanceof IndexColorModel) {
                Raster raster = b.getRaster();
                int w = raster.getWidth();
                int h = raster.getHeight();
                int[] idx = raster.getSamples(0, 0, w, h, 0, (int[]) null);
                return GrayImage.ofInts(w, h, idx, BitDepth.EIGHT);
            }
            return toGray(b, path, 0, true);
        });
    }

    /**
     * Reads a label image as {@link #read} does, and also 32-bit unsigned integer TIFF (instance
     * ids of more than 65535 objects, up to 2^24).
     *
     * @param path a PNG or TIFF file
     * @return the label, {@link BitDepth#INT32} for a 32-bit integer file
     * @throws ImageFormatException if the file is not a supported gray image, holds an id above
     *     2^24, or is corrupt
     * @throws ImageIoException if the file is missing or cannot be read
     */
    public static GrayImage readLabel(Path path) throws ImageIoException {
        return withReader(path, reader -> {
            if (reader.getNumImages(true) < 1) {
                throw new ImageFormatException(path, "contains no image", null);
            }
            return toGray(reader.read(0), path, 0, true);
        });
    }

    /**
     * Reads every page of an image file: all pages of a multi-page TIFF, or the one image of a
     * PNG or single-page TIFF.
     *
     * @param path a PNG or TIFF file
     * @return the pages in file order, at least one
     * @throws ImageFormatException if a page is not a supported gray image or the file is corrupt
     * @throws ImageIoException if the file is missing or cannot be read
     */
    public static List<GrayImage> readStack(Path path) throws ImageIoException {
        return withReader(path, reader -> {
            int n = reader.getNumImages(true);
            if (n < 1) {
                throw new ImageFormatException(path, "contains no image", null);
            }
            List<GrayImage> pages = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                pages.add(toGray(reader.read(i), path, i));
            }
            return List.copyOf(pages);
        });
    }

    /**
     * Reads an image as its channels: a gray image gives one, an RGB image (or a palette image
     * with colours) three, red, green and blue, and a multi-page TIFF one per page (each page
     * gray, all of one size). An alpha channel is ignored. An RGB image whose channels are equal
     * still gives three; {@link ImageChannels#asGray()} tells.
     *
     * @param path a PNG or TIFF file
     * @return the channels
     * @throws ImageFormatException if a page is not a supported image, the pages differ in size
     *     or the file is corrupt
     * @throws ImageIoException if the file is missing or cannot be read
     */
    public static ImageChannels readChannels(Path path) throws ImageIoException {
        return withReader(path, reader -> {
            int n = reader.getNumImages(true);
            if (n < 1) {
                throw new ImageFormatException(path, "contains no image", null);
            }
            if (n == 1) {
                return new ImageChannels(toChannels(reader.read(0), path, 0, false));
            }
            List<GrayImage> pages = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                GrayImage page = toGray(reader.read(i), path, i);
                if (i > 0 && (page.width() != pages.get(0).width() || page.height() != pages.get(0).height())) {
                    throw new ImageFormatException(path, where(i) + "is " + page.width() + "x" + page.height()
                            + " but page 1 is " + pages.get(0).width() + "x" + pages.get(0).height() + "; the pages of "
                            + "an image are its channels and must be of one size", null);
                }
                pages.add(page);
            }
            return new ImageChannels(pages);
        });
    }

    /**
     * Writes one image, as PNG or TIFF according to the file extension, with the image's bit
     * depth. Replaces an existing file.
     *
     * @param image the image
     * @param path the target, ending in {@code .png}, {@code .tif} or {@code .tiff}
     * @throws IllegalArgumentException if the extension is not one of these, or a
     *     {@link BitDepth#FLOAT32} image is to be written as PNG
     * @throws ImageIoException if the folder does not exist or the file cannot be written
     */
    public static void write(GrayImage image, Path path) throws ImageIoException {
        Objects.requireNonNull(image, "image");
        ImageFormat format = formatForWriting(path);
        if (format == ImageFormat.PNG && (image.depth() == BitDepth.FLOAT32 || image.depth() == BitDepth.INT32)) {
            throw new IllegalArgumentException(path + ": PNG cannot hold 32-bit samples; write a .tif instead");
        }
        BufferedImage buffered = toBuffered(image);
        writeAtomically(path, format, (writer, out) -> {
            writer.setOutput(out);
            writer.write(buffered);
        });
    }

    /**
     * Writes ids of at most 256 values as an indexed-colour (palette) PNG: each pixel's value is
     * its palette index, shown in that entry's colour; {@link #readLabelIndices} reads the ids
     * back. How class maps are saved so that they are both viewable and class ids.
     *
     * @param ids     the ids, 8-bit (0..255)
     * @param palette the colour of each id, {@code 0xRRGGBB}, at most 256 entries, covering every id
     * @param path    the target, ending in {@code .png}
     * @throws IllegalArgumentException if the target is not a PNG, the palette has more than 256
     *     entries, or an id has no palette entry
     * @throws ImageIoException if the folder does not exist or the file cannot be written
     */
    public static void writeIndexed(GrayImage ids, int[] palette, Path path) throws ImageIoException {
        Objects.requireNonNull(ids, "ids");
        if (formatForWriting(path) != ImageFormat.PNG) {
            throw new IllegalArgumentException(path + ": an indexed-colour image is written as PNG (.png)");
        }
        if (palette.length < 1 || palette.length > 256) {
            throw new IllegalArgumentException(path + ": a palette has 1 to 256 colours, got " + palette.length);
        }
        float[] v = ids.pixels();
        for (float x : v) {
            if (!(x >= 0 && x < palette.length)) {
                throw new IllegalArgumentException(path + ": id " + x + " has no colour in a palette of "
                        + palette.length);
            }
        }
        int bits = palette.length <= 2 ? 1 : palette.length <= 4 ? 2 : palette.length <= 16 ? 4 : 8;
        byte[] r = new byte[palette.length];
        byte[] g = new byte[palette.length];
        byte[] b = new byte[palette.length];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) (palette[i] >> 16);
            g[i] = (byte) (palette[i] >> 8);
            b[i] = (byte) palette[i];
        }
        IndexColorModel cm = new IndexColorModel(bits, palette.length, r, g, b);
        BufferedImage out = new BufferedImage(ids.width(), ids.height(), bits == 8 ? BufferedImage.TYPE_BYTE_INDEXED
                : BufferedImage.TYPE_BYTE_BINARY, cm);
        out.getRaster().setSamples(0, 0, ids.width(), ids.height(), 0, v);
        writeAtomically(path, ImageFormat.PNG, (writer, o) -> {
            writer.setOutput(o);
            writer.write(out);
        });
    }

    /**
     * Writes images as the pages of one multi-page TIFF. Pages may differ in size and depth.
     * Replaces an existing file.
     *
     * @param pages the pages in order, at least one
     * @param path the target, ending in {@code .tif} or {@code .tiff}
     * @throws IllegalArgumentException if {@code pages} is empty or the extension is not TIFF
     * @throws ImageIoException if the folder does not exist or the file cannot be written
     */
    public static void writeStack(List<GrayImage> pages, Path path) throws ImageIoException {
        Objects.requireNonNull(pages, "pages");
        if (pages.isEmpty()) {
            throw new IllegalArgumentException(path + ": a TIFF stack needs at least one page");
        }
        if (formatForWriting(path) != ImageFormat.TIFF) {
            throw new IllegalArgumentException(path + ": a multi-page stack can only be written as TIFF (.tif or .tiff)");
        }
        List<BufferedImage> buffered = new ArrayList<>(pages.size());
        for (GrayImage page : pages) {
            buffered.add(toBuffered(Objects.requireNonNull(page, "page")));
        }
        writeAtomically(path, ImageFormat.TIFF, (writer, out) -> {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage b : buffered) {
                writer.writeToSequence(new IIOImage(b, null, null), null);
            }
            writer.endWriteSequence();
        });
    }

    /**
     * Lists the image files directly inside a folder, sorted by file name (plain string order,
     * so {@code 10.tif} sorts before {@code 2.tif}: zero-pad numbered files). Only regular files
     * ending in {@code .png}, {@code .tif} or {@code .tiff} (any case) are returned; a symbolic
     * link of such a name that cannot be followed is an error, not skipped; other files,
     * subfolders and hidden files (names starting with a dot, such as macOS {@code ._x.tif}
     * resource forks and this class's temporary files) are skipped silently.
     *
     * @param folder the folder
     * @return the image files, possibly none
     * @throws ImageIoException if the folder does not exist, is a file, or cannot be listed
     */
    public static List<Path> listImages(Path folder) throws ImageIoException {
        if (!Files.exists(folder)) {
            throw new ImageIoException(folder, "no such folder", null);
        }
        if (!Files.isDirectory(folder)) {
            throw new ImageIoException(folder, "is a file, not a folder", null);
        }
        List<Path> named;
        try (Stream<Path> entries = Files.list(folder)) {
            named = entries
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> ImageFormat.ofFileName(p).isPresent())
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ImageIoException(folder, "cannot list folder: " + reason(e), e);
        }
        List<Path> images = new java.util.ArrayList<>();
        for (Path p : named) {
            String broken = brokenLink(p);
            if (broken != null) {
                throw new ImageIoException(p, broken, null);
            }
            if (Files.isRegularFile(p)) {
                images.add(p);
            }
        }
        return images;
    }

    /**
     * @param path a path
     * @return why it is a symbolic link that cannot be followed ("a symbolic link to x, which does
     *         not exist; ...", "a loop of symbolic links; ..."), or null if it is none
     */
    static String brokenLink(Path path) {
        if (!Files.isSymbolicLink(path) || Files.exists(path)) {
            return null;
        }
        try {
            path.toRealPath();
            return null;
        } catch (java.nio.file.FileSystemException e) {
            String why = e.getReason() == null ? "" : e.getReason();
            if (why.toLowerCase(Locale.ROOT).contains("too many levels") || why.toLowerCase(Locale.ROOT)
                    .contains("loop")) {
                return "is a loop of symbolic links; fix or remove the link";
            }
        } catch (IOException e) {
            // fall through: the target is missing
        }
        String target;
        try {
            target = Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            target = "?";
        }
        return "is a symbolic link to " + target + ", which does not exist; fix or remove the link";
    }

    /**
     * Like {@link #listImages(Path)}, but a regular, non-hidden file that is not a PNG or TIFF by
     * its name is an error rather than skipped: a data folder holding something else is more
     * likely a mistake than intended.
     *
     * @param folder the folder
     * @return the image files, possibly none
     * @throws ImageIoException naming the first file that is not an image, or as {@link #listImages(Path)}
     */
    public static List<Path> listImagesStrict(Path folder) throws ImageIoException {
        List<Path> images = listImages(folder);
        try (Stream<Path> entries = Files.list(folder)) {
            Path other = entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .filter(p -> ImageFormat.ofFileName(p).isEmpty())
                    .sorted().findFirst().orElse(null);
            if (other != null) {
                throw new ImageIoException(other, "not a .png or .tif image; the folder " + folder
                        + " must hold only images", null);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            if (e instanceof ImageIoException ie) {
                throw ie;
            }
            throw new ImageIoException(folder, "cannot list folder: " + reason(e), e);
        }
        return images;
    }

    // ---------------------------------------------------------------- reading

    @FunctionalInterface
    private interface ReaderBody<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(Path path, ReaderBody<T> body) throws ImageIoException {
        Objects.requireNonNull(path, "path");
        String broken = brokenLink(path);
        if (broken != null) {
            throw new ImageIoException(path, broken, null);
        }
        if (!Files.exists(path)) {
            throw new ImageIoException(path, "no such file", null);
        }
        if (Files.isDirectory(path)) {
            throw new ImageIoException(path, "is a folder, not an image file", null);
        }
        if (!Files.isReadable(path)) {
            throw new ImageIoException(path, "cannot read: permission denied", null);
        }
        // A FileImageInputStream rather than ImageIO.createImageInputStream: no cache file.
        try (ImageInputStream in = new FileImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFormatException(path, "not a PNG or TIFF image (content not recognised)", null);
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            if (!format.equals("png") && !format.startsWith("tif")) {
                reader.dispose();
                throw new ImageFormatException(path, "is a " + format.toUpperCase(Locale.ROOT)
                        + " image; only PNG and TIFF are supported", null);
            }
            String shown = format.equals("png") ? "PNG" : "TIFF";
            reader.setInput(in, false, true);
            try {
                return body.apply(reader);
            } catch (ImageIoException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // javax.imageio reports truncation and corruption as IIOException or, for some
                // TIFF damage, as runtime exceptions from deep inside the decoder.
                throw new ImageFormatException(path, "corrupt or truncated " + shown + " file: " + reason(e), e);
            } finally {
                reader.dispose();
            }
        } catch (ImageIoException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageIoException(path, "cannot read: " + reason(e), e);
        }
    }

    private static GrayImage toGray(BufferedImage image, Path path, int page) throws ImageFormatException {
        return toGray(image, path, page, false);
    }

    private static GrayImage toGray(BufferedImage image, Path path, int page, boolean label)
            throws ImageFormatException {
        List<GrayImage> channels = toChannels(image, path, page, label);
        if (channels.size() == 1) {
            return channels.get(0);
        }
        float[] red = channels.get(0).pixels();
        for (int b = 1; b < 3; b++) {
            float[] band = channels.get(b).pixels();
            for (int i = 0; i < red.length; i++) {
                if (Float.compare(band[i], red[i]) != 0) {
                    int w = channels.get(0).width();
                    String at = " at pixel (" + (i % w) + ", " + (i / w) + ")";
                    if (image.getColorModel() instanceof IndexColorModel) {
                        throw new ImageFormatException(path, where(page) + "palette colour image with a non-gray colour"
                                + at + "; convert it to grayscale (a label whose palette index is the class id: pass "
                                + "--labels classes)", null);
                    }
                    throw new ImageFormatException(path, where(page) + "colour image whose channels differ" + at
                            + "; a gray image is needed here (colour images are read as 3 channels by a model "
                            + "trained on them)", null);
                }
            }
        }
        return channels.get(0);
    }

    private static String where(int page) {
        return page == 0 ? "" : "page " + (page + 1) + ": ";
    }

    /**
     * One gray channel, or red, green and blue (a palette's colours, or the raster's first three
     * bands); 32-bit integer samples only for a label.
     */
    private static List<GrayImage> toChannels(BufferedImage image, Path path, int page, boolean label)
            throws ImageFormatException {
        String where = where(page);
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int n = w * h;

        if (cm instanceof IndexColorModel palette) {
            // Palette images (and JDK-decoded 1/2/4-bit gray PNG) are gray if every colour used is.
            int[] idx = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            float[][] rgb = new float[3][n];
            boolean gray = true;
            for (int i = 0; i < n; i++) {
                rgb[0][i] = palette.getRed(idx[i]);
                rgb[1][i] = palette.getGreen(idx[i]);
                rgb[2][i] = palette.getBlue(idx[i]);
                gray &= rgb[0][i] == rgb[1][i] && rgb[0][i] == rgb[2][i];
            }
            if (gray) {
                return List.of(new GrayImage(w, h, rgb[0], BitDepth.EIGHT));
            }
            return List.of(new GrayImage(w, h, rgb[0], BitDepth.EIGHT), new GrayImage(w, h, rgb[1], BitDepth.EIGHT),
                    new GrayImage(w, h, rgb[2], BitDepth.EIGHT));
        }

        int dataType = raster.getSampleModel().getDataType();
        BitDepth depth = switch (dataType) {
            case DataBuffer.TYPE_BYTE -> BitDepth.EIGHT;
            case DataBuffer.TYPE_USHORT -> BitDepth.SIXTEEN;
            case DataBuffer.TYPE_FLOAT -> BitDepth.FLOAT32;
            case DataBuffer.TYPE_SHORT -> throw unsupported(path, where, "signed 16-bit samples");
            case DataBuffer.TYPE_INT -> {
                if (!label) {
                    throw unsupported(path, where, "32-bit integer samples");
                }
                yield BitDepth.INT32;
            }
            case DataBuffer.TYPE_DOUBLE -> throw unsupported(path, where, "64-bit float samples");
            default -> throw unsupported(path, where, "sample type " + dataType);
        };
        int bits = switch (depth) {
            case EIGHT -> 8;
            case SIXTEEN -> 16;
            default -> 32;
        };
        if (depth != BitDepth.FLOAT32 && raster.getSampleModel().getSampleSize(0) != bits) {
            throw unsupported(path, where, raster.getSampleModel().getSampleSize(0) + "-bit samples");
        }
        int colours = cm == null ? raster.getNumBands() : cm.getNumColorComponents();
        if (colours != 1 && !(colours == 3 && raster.getNumBands() >= 3)) {
            throw new ImageFormatException(path, where + "has " + colours
                    + " colour channels; need 1 (gray) or 3 (RGB); save other channels as the pages of a TIFF", null);
        }
        List<GrayImage> out = new ArrayList<>(colours);
        for (int b = 0; b < colours; b++) {
            float[] band = new float[n];
            if (depth == BitDepth.INT32) {
                // Read as ints: a float would round 16,777,217 to a neighbouring id without a word.
                int[] ids = raster.getSamples(0, 0, w, h, b, (int[]) null);
                for (int i = 0; i < n; i++) {
                    if (ids[i] < 0 || ids[i] > 1 << 24) { // compared as ints: as a float 2^24 + 1 equals 2^24
                        throw new ImageFormatException(path, where + "id " + Integer.toUnsignedString(ids[i])
                                + " at pixel (" + (i % w) + ", " + (i / w) + ") is above 16,777,216 (2^24), the largest "
                                + "32-bit id read; number the objects from 1 without gaps", null);
                    }
                    band[i] = ids[i];
                }
            } else {
                raster.getSamples(0, 0, w, h, b, band);
            }
            try {
                out.add(new GrayImage(w, h, band, depth));
            } catch (IllegalArgumentException e) {
                // Only non-finite floats can get here.
                throw new ImageFormatException(path, where + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    private static ImageFormatException unsupported(Path path, String where, String what) {
        return new ImageFormatException(path, where + what
                + " are not supported; use 8- or 16-bit integers or 32-bit float", null);
    }

    // ---------------------------------------------------------------- writing

    /** Encodes into an open output; package-private so tests can inject a failure. */
    @FunctionalInterface
    interface WriterBody {
        void write(ImageWriter writer, ImageOutputStream out) throws IOException;
    }

    private static ImageFormat formatForWriting(Path path) {
        Objects.requireNonNull(path, "path");
        return ImageFormat.ofFileName(path).orElseThrow(() -> new IllegalArgumentException(
                path + ": unknown image extension; use .png, .tif or .tiff"));
    }

    private static BufferedImage toBuffered(GrayImage image) {
        int w = image.width();
        int h = image.height();
        BufferedImage out = switch (image.depth()) {
            case EIGHT -> new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            case SIXTEEN -> new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
            case FLOAT32, INT32 -> {
                ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                        false, false, Transparency.OPAQUE, image.depth() == BitDepth.INT32 ? DataBuffer.TYPE_INT
                        : DataBuffer.TYPE_FLOAT);
                yield new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
            }
        };
        WritableRaster raster = out.getRaster();
        // Integer depths hold whole numbers (GrayImage checks), so the float-to-int store is exact.
        raster.setSamples(0, 0, w, h, 0, image.pixels());
        return out;
    }

    static void writeAtomically(Path path, ImageFormat format, WriterBody body) throws ImageIoException {
        AtomicFile.write(path, temp -> {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.imageIoName());
            if (!writers.hasNext()) {
                throw new ImageIoException(path, "cannot write: this JDK has no " + format + " writer", null);
            }
            ImageWriter writer = writers.next();
            try (ImageOutputStream out = new FileImageOutputStream(temp.toFile())) {
                body.write(writer, out);
            } finally {
                writer.dispose();
            }
        }, ImageIoException.class, ImageIoException::new);
    }

    /** A short human reason for an exception, without the stack of wrapper class names. */
    static String reason(Throwable e) {
        return AtomicFile.reason(e);
    }
}
