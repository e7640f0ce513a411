package io.github.unet4j.examples.cli;

import io.github.unet4j.train.io.GrayImage;
import io.github.unet4j.train.io.ImageIo;
import io.github.unet4j.train.io.ImageIoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Images named for output: every image of a folder, the pages of a TIFF stack
 * ({@code name-000}, {@code name-001}, ...), or one image file.
 *
 * @param names   base names without extension
 * @param images  the images
 * @param sources where each came from, for messages: the file, or the stack and page
 */
record InputImages(List<String> names, List<GrayImage> images, List<String> sources) {

    static InputImages read(Path input) throws ImageIoException {
        List<String> names = new ArrayList<>();
        List<GrayImage> images = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        if (Files.isDirectory(input)) {
            for (Path p : ImageIo.listImagesStrict(input)) {
                names.add(stem(p));
                images.add(ImageIo.read(p));
                sources.add(p.toString());
            }
            if (names.isEmpty()) {
                throw new ImageIoException(input, "no .png or .tif images in this folder", null);
            }
        } else {
            boolean tiff = input.getFileName().toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.tiff?");
            List<GrayImage> pages = tiff ? ImageIo.readStack(input) : List.of(ImageIo.read(input));
            if (pages.size() == 1) {
                names.add(stem(input));
                images.add(pages.get(0));
                sources.add(input.toString());
            } else {
                for (int i = 0; i < pages.size(); i++) {
                    names.add(String.format("%s-%03d", stem(input), i));
                    images.add(pages.get(i));
                    sources.add(input + " page " + (i + 1));
                }
            }
        }
        return new InputImages(List.copyOf(names), List.copyOf(images), List.copyOf(sources));
    }

    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
