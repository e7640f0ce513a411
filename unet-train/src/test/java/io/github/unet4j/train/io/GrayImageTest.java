package io.github.unet4j.train.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GrayImageTest {
    @Test
    void validatesSizeAndRange() {
        assertThrows(IllegalArgumentException.class, () -> new GrayImage(0, 1, new float[0], BitDepth.EIGHT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GrayImage(2, 2, new float[3], BitDepth.EIGHT));
        assertTrue(e.getMessage().contains("2x2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GrayImage(1, 1, new float[] {256}, BitDepth.EIGHT));
        assertThrows(IllegalArgumentException.class, () -> new GrayImage(1, 1, new float[] {0.5f}, BitDepth.SIXTEEN));
        assertThrows(IllegalArgumentException.class, () -> new GrayImage(1, 1, new float[] {-1}, BitDepth.SIXTEEN));
        assertThrows(IllegalArgumentException.class, () -> new GrayImage(1, 1, new float[] {Float.NaN}, BitDepth.FLOAT32));
        assertEquals(65535f, new GrayImage(1, 1, new float[] {65535}, BitDepth.SIXTEEN).get(0, 0));
    }

    @Test
    void isImmutableAndRowMajor() {
        float[] px = {1, 2, 3, 4, 5, 6};
        GrayImage g = new GrayImage(3, 2, px, BitDepth.EIGHT);
        px[0] = 99;
        g.pixels()[1] = 99;
        assertEquals(1f, g.get(0, 0));
        assertEquals(2f, g.get(1, 0));
        assertEquals(4f, g.get(0, 1));
        assertEquals(6f, g.get(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> g.get(3, 0));
        assertEquals(g, GrayImage.ofInts(3, 2, new int[] {1, 2, 3, 4, 5, 6}, BitDepth.EIGHT));
    }
}
