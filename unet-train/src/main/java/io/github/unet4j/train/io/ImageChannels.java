package io.github.unet4j.train.io;

import io.github.unet4j.core.infer.Normalization;
import java.util.List;
import java.util.Objects;

/**
 * An image of one or more channels of the same size: a gray image (one), an RGB image (three:
 * red, green, blue) or the pages of a multi-page TIFF (one channel per page). Each channel keeps
 * its own {@link BitDepth}, so that a 16-bit and an 8-bit channel are each scaled by their own
 * full scale.
 *
 * @param channels the channels, at least one, all {@code width x height}
 */
public record ImageChannels(List<GrayImage> channels) {

    /** Validates the channels and copies the list. */
    public ImageChannels {
        Objects.requireNonNull(channels, "channels");
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("ImageChannels: need at least one channel");
        }
        channels = List.copyOf(channels);
        GrayImage first = channels.get(0);
        for (int c = 1; c < channels.size(); c++) {
            GrayImage g = channels.get(c);
            if (g.width() != first.width() || g.height() != first.height()) {
                throw new IllegalArgumentException("ImageChannels: channel " + c + " is " + g.width() + "x"
                        + g.height() + " but channel 0 is " + first.width() + "x" + first.height());
            }
        }
    }

    /**
     * @param gray a gray image
     * @return it as an image of one channel
     */
    public static ImageChannels of(GrayImage gray) {
        return new ImageChannels(List.of(gray));
    }

    /** @return the width in pixels */
    public int width() {
        return channels.get(0).width();
    }

    /** @return the height in pixels */
    public int height() {
        return channels.get(0).height();
    }

    /** @return the number of channels */
    public int count() {
        return channels.size();
    }

    /** @param c a channel index @return that channel */
    public GrayImage channel(int c) {
        return channels.get(c);
    }

    /**
     * @return the one channel of a gray image, or the first of three equal ones (a gray image
     *         saved as RGB); null for any other image
     */
    public GrayImage asGray() {
        if (count() == 1) {
            return channels.get(0);
        }
        if (count() != 3) {
            return null;
        }
        GrayImage r = channels.get(0);
        float[] red = r.pixels();
        for (int c = 1; c < 3; c++) {
            GrayImage g = channels.get(c);
            if (g.depth() != r.depth() || !java.util.Arrays.equals(red, g.pixels())) {
                return null;
            }
        }
        return r;
    }

    /**
     * @return each channel's raw values and full scale, as
     *         {@link io.github.unet4j.core.infer.ChannelNormalization} takes them
     */
    public List<Normalization.Image> forNormalization() {
        return channels.stream().map(GrayImage::forNormalization).toList();
    }

    /** @return e.g. "8-bit" or "3 channels, 16-bit" for messages */
    public String describe() {
        String depths = channels.stream().map(g -> g.depth().toString()).distinct()
                .reduce((a, b) -> a + "/" + b).orElse("");
        return count() == 1 ? depths : count() + " channels, " + depths;
    }
}
