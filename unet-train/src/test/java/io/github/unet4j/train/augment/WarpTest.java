package io.github.unet4j.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.unet4j.train.data.Sample;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WarpTest {

    private static DisplacementField constant(int w, int h, float dx, float dy) {
        float[] fx = new float[w * h];
        float[] fy = new float[w * h];
        Arrays.fill(fx, dx);
        Arrays.fill(fy, dy);
        return new DisplacementField(fx, fy, w, h);
    }

    @Test
    void wholePixelDisplacementIsAMirroredShift() {
        Sample row = Sample.of(new float[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, new float[] {1, 2, 3, 4}, 4, 1);
        for (Interpolation in : Interpolation.values()) {
            Sample out = Warp.apply(row, constant(4, 1, 1, 0), in);
            // Output x reads input x + 1; x = 3 reads 4, reflected to 2.
            assertArrayEquals(new float[] {2, 3, 4, 3}, out.image(), 1e-6f, in.toString());
            assertArrayEquals(new int[] {2, 3, 4, 3}, out.label(), in.toString());
            assertEquals(Transforms.shift(row, -1, 0).label()[3], out.label()[3]);
        }
    }

    @Test
    void halfPixelReadsOfARampAreExactForBilinearAndBicubic() {
        // Both kernels reproduce linear functions, so away from the mirrored border a ramp is
        // read exactly between pixels; nearest rounds the tie up.
        int w = 8;
        float[] ramp = new float[w];
        for (int x = 0; x < w; x++) {
            ramp[x] = 3 * x + 1;
        }
        Sample s = Sample.of(ramp, new int[w], null, w, 1);
        Sample bl = Warp.apply(s, constant(w, 1, 0.5f, 0), Interpolation.BILINEAR);
        Sample bc = Warp.apply(s, constant(w, 1, 0.5f, 0), Interpolation.BICUBIC);
        Sample nn = Warp.apply(s, constant(w, 1, 0.5f, 0), Interpolation.NEAREST);
        for (int x = 1; x < w - 2; x++) {
            assertEquals(3 * (x + 0.5) + 1, bl.image()[x], 1e-5, "bilinear at " + x);
            assertEquals(3 * (x + 0.5) + 1, bc.image()[x], 1e-5, "bicubic at " + x);
            assertEquals(ramp[x + 1], nn.image()[x], "nearest at " + x);
        }
    }

    @Test
    void bicubicImageWithBilinearWeightsNeverNegative() {
        // A step makes Catmull-Rom overshoot below 0; the weight map must not.
        float[] step = {0, 0, 0, 1, 1, 1};
        Sample s = Sample.of(step, new int[6], step.clone(), 6, 1);
        Sample out = Warp.apply(s, constant(6, 1, 0.25f, 0), Interpolation.BICUBIC);
        float minImage = Float.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            minImage = Math.min(minImage, out.image()[i]);
            assertEquals(true, out.weight()[i] >= 0, "weight " + out.weight()[i]);
        }
        assertEquals(true, minImage < 0, "the image shows the cubic overshoot, min " + minImage);
    }

    @Test
    void fieldsRejectBadValues() {
        assertThrows(IllegalArgumentException.class,
                () -> new DisplacementField(new float[] {Float.NaN}, new float[1], 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DisplacementField(new float[2], new float[1], 1, 1));
        assertThrows(IllegalArgumentException.class, () -> DisplacementField.identity(0, 1));
        Sample s = Sample.of(new float[1], new int[1], null, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> Warp.apply(s, DisplacementField.identity(1, 1), null));
    }

    @Test
    void hugeDisplacementsStillReadInsideTheImage() {
        Sample s = Sample.of(new float[] {1, 2, 3}, new int[] {1, 2, 3}, null, 3, 1);
        for (Interpolation in : Interpolation.values()) {
            Sample out = Warp.apply(s, constant(3, 1, 3e9f, -3e9f), in);
            for (float v : out.image()) {
                assertEquals(true, v >= 0.5f && v <= 3.5f, in + " gave " + v);
            }
        }
    }
}
