package io.github.unet4j.examples.cli;

import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageChannels;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.io.ImageIoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Images named for output, read for a model of a given number of input channels. For a gray
 * model: every image of a folder, the pages of a TIFF stack as slices ({@code name-000},
 * {@code name-001}, ...), or one image file. For a model of several channels: every image of a
 * folder or one image file, each an RGB image or a TIFF whose pages are the channels.
 *
 * @param names   base names without extension
 * @param images  the images, each of the model's channels
 * @param sources where each came from, for messages: the file, or the stack and page
 */
record InputImages(List<String> names, List<ImageChannels> images, List<String> sources) {

    /**
     * @param input    a folder, an image or a TIFF stack
     * @param channels the model's input channels
     * @return the images
     * @throws ImageIoException naming the file: unreadable, or of other channels than the model's
     */
    static InputImages read(Path input, int channels) throws ImageIoException {
        List<String> names = new ArrayList<>();
        List<ImageChannels> images = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<Path> files = Files.isDirectory(input) ? ImageIo.listImagesStrict(input) : List.of(input);
        if (files.isEmpty()) {
            throw new ImageIoException(input, "no .png or .tif images in this folder", null);
        }
        for (Path p : files) {
            if (channels > 1) {
                names.add(stem(p));
                images.add(withChannels(ImageIo.readChannels(p), p, channels));
                sources.add(p.toString());
                continue;
            }
            boolean tiff = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.tiff?");
            // A folder's images are one page each; a TIFF given alone may be a stack of slices.
            List<GrayImage> pages = tiff && !Files.isDirectory(input) ? ImageIo.readStack(p) : List.of(ImageIo.read(p));
            for (int i = 0; i < pages.size(); i++) {
                names.add(pages.size() == 1 ? stem(p) : String.format("%s-%03d", stem(p), i));
                images.add(ImageChannels.of(pages.get(i)));
                sources.add(pages.size() == 1 ? p.toString() : p + " page " + (i + 1));
            }
        }
        return new InputImages(List.copyOf(names), List.copyOf(images), List.copyOf(sources));
    }

    private static ImageChannels withChannels(ImageChannels image, Path file, int channels) throws ImageIoException {
        if (image.count() != channels) {
            throw new ImageIoException(file, (image.count() == 1 ? "is gray (1 channel)" : "has " + image.count()
                    + " channels") + " but the model takes " + channels + (channels == 3 ? " (RGB)" : " (a TIFF of "
                    + channels + " pages)") + "; give images like its training images", null);
        }
        return image;
    }

    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
