package io.github.unet4j.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each channel normalised by its own statistics; metadata of one channel as it always was. */
class ChannelNormalizationTest {

    private static Normalization.Image img(double scale, float... v) {
        return new Normalization.Image(v, scale);
    }

    @Test
    void eachChannelHasItsOwnStatistics() {
        // Channel 0: 8-bit values 0 and 255 -> scaled 0, 1: mean 0.5, std 0.5.
        // Channel 1: 16-bit values 0 and 65535/2 (x 2 images) -> scaled 0 and ~0.5: mean ~0.25, std ~0.25.
        ChannelNormalization n = ChannelNormalization.fit(List.of(
                List.of(img(255, 0, 255), img(65535, 0, 32767.5f)),
                List.of(img(255, 0, 255), img(65535, 0, 32767.5f))));
        assertEquals(2, n.count());
        assertEquals(new Normalization(0.5, 0.5, 0, 1), n.channels().get(0));
        assertEquals(0.25, n.channels().get(1).mean(), 1e-6);
        assertEquals(0.25, n.channels().get(1).std(), 1e-6);
        float[][] out = n.apply(List.of(img(255, 255, 0), img(65535, 32767.5f, 0)));
        assertArrayEquals(new float[] {1, -1}, out[0], 1e-6f);
        assertArrayEquals(new float[] {1, -1}, out[1], 1e-5f);
    }

    @Test
    void metadataRoundTripsAndOneChannelKeepsTheGrayKeys() {
        Normalization gray = new Normalization(0.4, 0.1, 0.05, 0.9);
        ChannelNormalization one = ChannelNormalization.of(gray);
        assertEquals(gray.toMetadata(), one.toMetadata(), "a gray model's metadata is unchanged");
        assertEquals(one, ChannelNormalization.fromMetadata(gray.toMetadata()));
        ChannelNormalization three = new ChannelNormalization(List.of(gray, new Normalization(0.2, 0.3, 0, 1),
                new Normalization(0.7, 0.05, 0.6, 0.8)));
        Map<String, String> m = three.toMetadata();
        assertEquals("3", m.get("normalization.channels"));
        assertEquals("0.7", m.get("normalization.channel2.mean"));
        assertEquals(three, ChannelNormalization.fromMetadata(m));
        // Old checkpoints (one channel, full scale only) read as before.
        assertEquals(ChannelNormalization.of(new Normalization(0.5, 0.25, 0, 1)), ChannelNormalization.fromMetadata(
                Map.of("normalization.scale", "255", "normalization.mean", "0.5", "normalization.std", "0.25")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelNormalization.fromMetadata(Map.of("normalization.channels", "x")));
        assertTrue(e.getMessage().contains("normalization.channels = 'x'"), e.getMessage());
        Map<String, String> missing = new java.util.HashMap<>(m);
        missing.remove("normalization.channel1.std");
        e = assertThrows(IllegalArgumentException.class, () -> ChannelNormalization.fromMetadata(missing));
        assertTrue(e.getMessage().contains("normalization.channel1.std"), e.getMessage());
    }

    @Test
    void wrongChannelCountsAndRangesNameTheChannel() {
        ChannelNormalization two = new ChannelNormalization(List.of(new Normalization(0.5, 0.1, 0.4, 0.6),
                new Normalization(0.5, 0.1, 0.4, 0.6)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> two.apply(List.of(img(1, 0.5f))));
        assertTrue(e.getMessage().contains("the image has 1 channel but the model was trained on 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> two.apply(List.of(img(1, 0.5f), img(1, 20f))));
        assertTrue(e.getMessage().startsWith("channel 1: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChannelNormalization.fit(List.of(
                List.of(img(1, 0.5f)), List.of(img(1, 0.5f), img(1, 0.5f)))));
        assertThrows(IllegalArgumentException.class, () -> new ChannelNormalization(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ChannelNormalization.fit(List.of()));
    }
}
