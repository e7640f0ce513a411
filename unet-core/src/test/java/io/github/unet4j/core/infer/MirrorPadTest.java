package io.github.unet4j.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MirrorPadTest {

    @Test
    void rowPaddedByTwoMatchesNumpyReflect() {
        // np.pad([1, 2, 3], 2, 'reflect')
        float[] out = MirrorPad.pad(new float[] {1, 2, 3}, 3, 1, 0, 0, 2, 2);
        assertArrayEquals(new float[] {3, 2, 1, 2, 3, 2, 1}, out);
    }

    @Test
    void padsLargerThanTheImageReflectRepeatedlyLikeNumpy() {
        // np.pad([1, 2, 3], 5, 'reflect'), np.pad([1, 2], 3, 'reflect'), np.pad([5], 2, 'reflect')
        assertArrayEquals(new int[] {2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2},
                MirrorPad.pad(new int[] {1, 2, 3}, 3, 1, 0, 0, 5, 5));
        assertArrayEquals(new int[] {2, 1, 2, 1, 2, 1, 2, 1}, MirrorPad.pad(new int[] {1, 2}, 2, 1, 0, 0, 3, 3));
        assertArrayEquals(new int[] {5, 5, 5, 5, 5}, MirrorPad.pad(new int[] {5}, 1, 1, 0, 0, 2, 2));
    }

    @Test
    void twoDimensionalPadReflectsRowsAndColumns() {
        // np.pad([[1, 2, 3], [4, 5, 6]], ((1, 0), (0, 1)), 'reflect')
        float[] img = {1, 2, 3, 4, 5, 6};
        float[] out = MirrorPad.pad(img, 3, 2, 1, 0, 0, 1);
        assertArrayEquals(new float[] {
                4, 5, 6, 5,
                1, 2, 3, 2,
                4, 5, 6, 5}, out);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, img, "input untouched");
    }

    @Test
    void reflectMapsEveryIndexIntoRange() {
        for (int n = 1; n < 6; n++) {
            for (int i = -50; i < 50; i++) {
                int r = MirrorPad.reflect(i, n);
                assertTrue(r >= 0 && r < n, "reflect(" + i + ", " + n + ") = " + r);
            }
        }
        assertEquals(2, MirrorPad.reflect(-2, 3));
        assertEquals(1, MirrorPad.reflect(3, 3));
        assertEquals(0, MirrorPad.reflect(4, 3));
    }

    @Test
    void badInputIsRejectedNamingTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MirrorPad.pad(new float[5], 3, 2, 1, 1, 1, 1));
        assertTrue(e.getMessage().contains("length 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MirrorPad.pad(new int[6], 3, 2, -1, 0, 0, 0));
        assertTrue(e.getMessage().contains("top -1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MirrorPad.pad((float[]) null, 3, 2, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> MirrorPad.pad(new float[0], 0, 0, 0, 0, 0, 0));
    }
}
