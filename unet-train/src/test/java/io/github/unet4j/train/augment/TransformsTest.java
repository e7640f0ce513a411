package io.github.unet4j.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.data.Sample;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformsTest {

    /**
     * 3 wide, 2 high:
     * <pre>
     * 1 2 3
     * 4 5 6
     * </pre>
     * label = value * 10, weight = value / 10.
     */
    private static Sample small() {
        return Sample.of(new float[] {1, 2, 3, 4, 5, 6}, new int[] {10, 20, 30, 40, 50, 60},
                new float[] {.1f, .2f, .3f, .4f, .5f, .6f}, 3, 2);
    }

    private static void assertValues(Sample s, int w, int h, float... expected) {
        assertEquals(w, s.width(), "width");
        assertEquals(h, s.height(), "height");
        assertArrayEquals(expected, s.image());
        int[] label = new int[expected.length];
        float[] weight = new float[expected.length];
        for (int i = 0; i < expected.length; i++) {
            label[i] = Math.round(expected[i] * 10);
            weight[i] = expected[i] / 10;
        }
        assertArrayEquals(label, s.label(), "label follows the image");
        assertArrayEquals(weight, s.weight(), 1e-7f, "weight follows the image");
    }

    static Sample random(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] img = new float[w * h];
        int[] label = new int[w * h];
        float[] weight = new float[w * h];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) r.nextDouble();
            label[i] = r.nextInt(4);
            weight[i] = (float) (1 + r.nextDouble());
        }
        return Sample.of(img, label, weight, w, h);
    }

    @Test
    void flipsOfTheSmallArray() {
        assertValues(Transforms.flipHorizontal(small()), 3, 2, 3, 2, 1, 6, 5, 4);
        assertValues(Transforms.flipVertical(small()), 3, 2, 4, 5, 6, 1, 2, 3);
    }

    @Test
    void quarterTurnsOfTheSmallArrayMatchNumpyRot90() {
        // np.rot90([[1, 2, 3], [4, 5, 6]], k) for k = 1, 2, 3
        assertValues(Transforms.rot90(small(), 1), 2, 3, 3, 6, 2, 5, 1, 4);
        assertValues(Transforms.rot90(small(), 2), 3, 2, 6, 5, 4, 3, 2, 1);
        assertValues(Transforms.rot90(small(), 3), 2, 3, 4, 1, 5, 2, 6, 3);
        assertValues(Transforms.rot90(small(), -1), 2, 3, 4, 1, 5, 2, 6, 3);
        assertValues(Transforms.rot90(small(), 4), 3, 2, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void fourQuarterTurnsAreTheIdentityAndTwoFlipsAHalfTurn() {
        Sample s = random(5, 3, 1);
        Sample t = s;
        for (int i = 0; i < 4; i++) {
            t = Transforms.rot90(t, 1);
        }
        assertEquals(s, t);
        assertEquals(Transforms.rot90(s, 2), Transforms.flipVertical(Transforms.flipHorizontal(s)));
        assertEquals(s, Transforms.flipHorizontal(Transforms.flipHorizontal(s)));
    }

    @Test
    void shiftFillsByMirrorReflection() {
        Sample row = Sample.of(new float[] {1, 2, 3, 4}, new int[] {10, 20, 30, 40},
                new float[] {.1f, .2f, .3f, .4f}, 4, 1);
        assertValues(Transforms.shift(row, 1, 0), 4, 1, 2, 1, 2, 3);
        assertValues(Transforms.shift(row, -2, 0), 4, 1, 3, 4, 3, 2);
        assertValues(Transforms.shift(small(), 0, 1), 3, 2, 4, 5, 6, 1, 2, 3);
        assertEquals(row, Transforms.shift(row, 0, 0));
    }

    @Test
    void rotationByZeroIsTheExactIdentity() {
        Sample s = random(7, 5, 2);
        for (Interpolation in : Interpolation.values()) {
            assertEquals(s, Transforms.rotate(s, 0, in), in.toString());
        }
    }

    @Test
    void rotationBy90MatchesRot90() {
        Sample s = random(9, 9, 3);
        Sample exact = Transforms.rot90(s, 1);
        for (Interpolation in : Interpolation.values()) {
            Sample r = Transforms.rotate(s, 90, in);
            assertArrayEquals(exact.image(), r.image(), 1e-4f, in.toString());
            assertArrayEquals(exact.weight(), r.weight(), 1e-4f, in.toString());
            assertArrayEquals(exact.label(), r.label(), in.toString());
        }
        // Non-square: compare the central square, whose sources stay inside the image.
        Sample wide = random(11, 7, 4);
        Sample r = Transforms.rotate(wide, -90, Interpolation.BICUBIC);
        Sample q = Transforms.rot90(wide, -1); // 7 wide, 11 high
        for (int y = 0; y < 7; y++) {
            for (int x = 2; x < 9; x++) {
                float expected = q.image()[(y + 2) * 7 + (x - 2)];
                assertEquals(expected, r.image()[y * 11 + x], 1e-4f, "(" + x + ", " + y + ")");
                assertEquals(q.label()[(y + 2) * 7 + (x - 2)], r.label()[y * 11 + x]);
            }
        }
    }

    @Test
    void arbitraryRotationKeepsTheCentreAndInventsNoClass() {
        Sample s = random(9, 9, 5);
        Sample r = Transforms.rotate(s, 33, Interpolation.BICUBIC);
        assertEquals(s.image()[4 * 9 + 4], r.image()[4 * 9 + 4], 1e-6f);
        for (int l : r.label()) {
            assertTrue(l >= 0 && l < 4, "label " + l);
        }
        assertThrows(IllegalArgumentException.class, () -> Transforms.rotate(s, Double.NaN, Interpolation.BILINEAR));
        assertThrows(IllegalArgumentException.class, () -> Transforms.flipHorizontal(null));
    }
}
