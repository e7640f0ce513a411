package io.github.unet4j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleTest {

    @Test
    void wrongLengthsNameTheFieldAndTheLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sample.of(new float[5], new int[6], null, 3, 2));
        assertTrue(e.getMessage().contains("channel 0") && e.getMessage().contains("length 5")
                && e.getMessage().contains("6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sample.of(new float[6], new int[7], null, 3, 2));
        assertTrue(e.getMessage().contains("label") && e.getMessage().contains("length 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sample.of(new float[6], new int[6], new float[2], 3, 2));
        assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("length 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sample.of(new float[0], new int[0], null, 0, 2));
        assertTrue(e.getMessage().contains("width and height"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sample.of(null, new int[6], null, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Sample.of(new float[6], null, null, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new Sample(new float[0][], new int[6], null, 3, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new Sample(new float[][] {new float[6], null}, new int[6], null, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Sample.of(new float[1], new int[1], null, 65536, 65536));
    }

    @Test
    void equalityComparesContents() {
        Sample a = Sample.of(new float[] {1, 2}, new int[] {0, 1}, null, 2, 1);
        Sample b = Sample.of(new float[] {1, 2}, new int[] {0, 1}, null, 2, 1);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Sample.of(new float[] {1, 3}, new int[] {0, 1}, null, 2, 1));
        assertNotEquals(a, Sample.of(new float[] {1, 2}, new int[] {0, 1}, new float[] {1, 1}, 2, 1));
    }

    @Test
    void imageNeedsASingleChannel() {
        Sample two = new Sample(new float[][] {{1}, {2}}, new int[] {0}, null, 1, 1);
        assertEquals(2, two.channelCount());
        assertThrows(IllegalStateException.class, two::image);
    }

    @Test
    void padsASampleAlike() {
        Sample s = new Sample(new float[][] {{1, 2, 3}, {10, 20, 30}}, new int[] {0, 1, 2}, new float[] {.1f, .2f, .3f},
                3, 1);
        Sample p = s.mirrorPadded(1, 1, 1, 0);
        assertEquals(4, p.width());
        assertEquals(3, p.height());
        assertArrayEquals(new float[] {2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3}, p.channels()[0]);
        assertArrayEquals(new float[] {20, 10, 20, 30, 20, 10, 20, 30, 20, 10, 20, 30}, p.channels()[1]);
        assertArrayEquals(new int[] {1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2}, p.label());
        assertArrayEquals(new float[] {.2f, .1f, .2f, .3f, .2f, .1f, .2f, .3f, .2f, .1f, .2f, .3f}, p.weight());
    }
}
