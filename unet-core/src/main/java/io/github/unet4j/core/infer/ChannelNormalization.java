package io.github.unet4j.core.infer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link Normalization} of each input channel: the red, green and blue of a colour image, or
 * the pages of a multi-channel TIFF, each with the mean, standard deviation and range of that
 * channel over the training images, so that a dim channel is not drowned by a bright one.
 *
 * <p>In checkpoint metadata one channel is stored under the keys of {@link Normalization} (so a
 * gray model's metadata is what it always was), several under {@code normalization.channels} and
 * {@code normalization.channel<c>.*}.
 *
 * @param channels the normalisation of each channel, at least one
 */
public record ChannelNormalization(List<Normalization> channels) {

    private static final String COUNT = "normalization.channels";

    /** Validates and copies the list. */
    public ChannelNormalization {
        Objects.requireNonNull(channels, "channels");
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("ChannelNormalization: need at least one channel");
        }
        channels = List.copyOf(channels);
    }

    /** @param gray the one channel's normalisation @return it as a one-channel normalisation */
    public static ChannelNormalization of(Normalization gray) {
        return new ChannelNormalization(List.of(gray));
    }

    /**
     * @param images the training images, each a list of its channels (all of one count)
     * @return each channel's statistics over all images
     * @throws IllegalArgumentException for no images or images of different channel counts
     */
    public static ChannelNormalization fit(List<List<Normalization.Image>> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("ChannelNormalization: no images to fit");
        }
        int c = images.get(0).size();
        List<Normalization> out = new ArrayList<>(c);
        for (int ch = 0; ch < c; ch++) {
            List<Normalization.Image> one = new ArrayList<>(images.size());
            for (List<Normalization.Image> image : images) {
                if (image.size() != c) {
                    throw new IllegalArgumentException("ChannelNormalization: images of " + c + " and "
                            + image.size() + " channels; all must have the same number");
                }
                one.add(image.get(ch));
            }
            out.add(Normalization.fit(one));
        }
        return new ChannelNormalization(out);
    }

    /** @return the number of channels */
    public int count() {
        return channels.size();
    }

    /**
     * @param image an image's channels, as many as this has
     * @return the normalised channels, new arrays
     * @throws IllegalArgumentException for another number of channels, or a channel out of its
     *     training range ({@link Normalization#checkRange}), naming the channel
     */
    public float[][] apply(List<Normalization.Image> image) {
        checkCount(image);
        float[][] out = new float[image.size()][];
        for (int c = 0; c < out.length; c++) {
            try {
                out[c] = channels.get(c).apply(image.get(c)); // checks the channel's range
            } catch (IllegalArgumentException e) {
                throw named(c, e);
            }
        }
        return out;
    }

    /**
     * @param image an image's channels
     * @throws IllegalArgumentException for another number of channels or a channel out of range
     */
    public void checkRange(List<Normalization.Image> image) {
        checkCount(image);
        for (int c = 0; c < count(); c++) {
            try {
                channels.get(c).checkRange(image.get(c));
            } catch (IllegalArgumentException e) {
                throw named(c, e);
            }
        }
    }

    private void checkCount(List<Normalization.Image> image) {
        if (image.size() != count()) {
            throw new IllegalArgumentException("the image has " + image.size() + " channel" + (image.size() == 1 ? ""
                    : "s") + " but the model was trained on " + count() + "; give images like the training data's"
                    + (count() == 3 ? " (RGB)" : count() > 1 ? " (a TIFF of " + count() + " pages)" : " (gray)"));
        }
    }

    private IllegalArgumentException named(int c, IllegalArgumentException e) {
        return count() == 1 ? e : new IllegalArgumentException("channel " + c + ": " + e.getMessage(), e);
    }

    /** @return the fields as checkpoint metadata */
    public Map<String, String> toMetadata() {
        if (count() == 1) {
            return channels.get(0).toMetadata();
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put(COUNT, Integer.toString(count()));
        for (int c = 0; c < count(); c++) {
            m.putAll(channels.get(c).toMetadata(prefix(c)));
        }
        return m;
    }

    /**
     * @param metadata checkpoint metadata of one channel ({@link Normalization#fromMetadata}) or
     *                 several
     * @return the normalisation
     * @throws IllegalArgumentException if a field is missing or not a number
     */
    public static ChannelNormalization fromMetadata(Map<String, String> metadata) {
        String count = metadata.get(COUNT);
        if (count == null) {
            return of(Normalization.fromMetadata(metadata));
        }
        int c;
        try {
            c = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            c = 0;
        }
        if (c < 1) {
            throw new IllegalArgumentException("checkpoint metadata " + COUNT + " = '" + count
                    + "' is not a channel count");
        }
        List<Normalization> out = new ArrayList<>(c);
        for (int ch = 0; ch < c; ch++) {
            out.add(Normalization.fromMetadata(metadata, prefix(ch)));
        }
        return new ChannelNormalization(out);
    }

    private static String prefix(int c) {
        return "normalization.channel" + c + ".";
    }
}
