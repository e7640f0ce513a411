/**
 * Reading and writing grayscale images (PNG and TIFF) with the JDK's {@code javax.imageio}.
 *
 * <p>{@link io.github.unet4j.train.io.GrayImage} is an immutable single-channel image with
 * its {@link io.github.unet4j.train.io.BitDepth}; {@link io.github.unet4j.train.io.ImageIo}
 * reads 8- and 16-bit PNG and TIFF and 32-bit float TIFF (single images and multi-page
 * stacks), writes them atomically and lists the images of a folder. Problems are reported as
 * checked {@link io.github.unet4j.train.io.ImageIoException}s (bad file content as its
 * subclass {@link io.github.unet4j.train.io.ImageFormatException}) whose one-line message
 * names the file and the problem.
 */
package io.github.unet4j.train.io;
