package io.github.unet4j.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The input normalisation a trained model carries in its metadata: known answers, each image
 * scaled by its own bit depth, out-of-range images refused, and round trips.
 */
class NormalizationTest {

    private static Normalization.Image eight(float... v) {
        return new Normalization.Image(v, 255);
    }

    @Test
    void fitsMeanStandardDeviationAndRangeOfTheScaledValuesAndAppliesThem() {
        // Scaled by 10: 0, 0.2, 0.4, 0.6 -> mean 0.3, variance 0.05, range 0..0.6.
        Normalization n = Normalization.fit(List.of(new Normalization.Image(new float[] {0, 2}, 10),
                new Normalization.Image(new float[] {4, 6}, 10)));
        assertEquals(0.3, n.mean(), 1e-12);
        assertEquals(Math.sqrt(0.05), n.std(), 1e-12);
        assertEquals(0, n.low(), 0);
        assertEquals(0.6, n.high(), 1e-12);
        float[] out = n.apply(new Normalization.Image(new float[] {3, 5}, 10));
        assertArrayEquals(new float[] {0, (float) (0.2 / Math.sqrt(0.05))}, out, 1e-6f);
        assertEquals(n, Normalization.fromMetadata(n.toMetadata()), "written and read back exactly");
    }

    @Test
    void anEightBitImageAndTheSameImageInSixteenBitsGiveTheSameInput() {
        float[] slice = {0, 17, 128, 255, 93};
        float[] wide = new float[slice.length];
        for (int i = 0; i < slice.length; i++) {
            wide[i] = slice[i] * 257; // what converting an 8-bit slice to 16 bits stores
        }
        Normalization n = Normalization.fit(List.of(eight(slice)));
        assertArrayEquals(n.apply(eight(slice)), n.apply(new Normalization.Image(wide, 65535)), 1e-6f);
        // A training set mixing both depths: each is scaled by its own depth, so the mix fits as
        // the 8-bit slices alone do (it used to divide both by 65535).
        Normalization mixed = Normalization.fit(List.of(eight(slice), new Normalization.Image(wide, 65535)));
        assertEquals(n.mean(), mixed.mean(), 1e-9);
        assertEquals(n.std(), mixed.std(), 1e-9);
    }

    @Test
    void anImageFarOutsideTheTrainingRangeIsRefused() {
        // 16-bit training images using 0..4000 of 65535 (0..0.061 scaled).
        Normalization n = Normalization.fit(List.of(new Normalization.Image(new float[] {0, 1000, 4000}, 65535)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> n.apply(eight(0, 128, 255)));
        assertTrue(e.getMessage().startsWith("values divided by the image's full scale (255) span 0..1, but the model "
                + "was trained on 0..0.06104"), e.getMessage());
        assertTrue(e.getMessage().contains("rescale this one"), e.getMessage());
        // Float values of a raw 0..65535 range given to a model trained on 8-bit images.
        Normalization eightBit = Normalization.fit(List.of(eight(0, 40, 255)));
        assertThrows(IllegalArgumentException.class,
                () -> eightBit.apply(new Normalization.Image(new float[] {0, 30000}, 1)));
        // Dimmer, brighter, or a 16-bit image of the 8-bit kind pass.
        n.checkRange(new Normalization.Image(new float[] {0, 500, 7000}, 65535));
        eightBit.checkRange(eight(0, 10, 30));
        eightBit.checkRange(new Normalization.Image(new float[] {0, 65535}, 65535));
        eightBit.checkRange(new Normalization.Image(new float[] {0, 0.8f}, 1));
    }

    @Test
    void aCheckpointWrittenBeforeTheRangeWasStoredReadsAsRangeZeroToOne() {
        Normalization old = Normalization.fromMetadata(Map.of("normalization.scale", "255", "normalization.mean",
                "0.5", "normalization.std", "0.25"));
        assertEquals(new Normalization(0.5, 0.25, 0, 1), old);
        // Its 8-bit images normalise as they did: (v / 255 - mean) / std.
        assertArrayEquals(new float[] {-2, 2}, old.apply(eight(0, 255)), 1e-6f);
    }

    @Test
    void refusesNoImagesAndMissingOrBadMetadataByName() {
        assertThrows(IllegalArgumentException.class, () -> Normalization.fit(List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.fromMetadata(Map.of("normalization.scale", "255")));
        assertTrue(e.getMessage().contains("normalization.mean"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Normalization.fromMetadata(Map.of(
                "normalization.scaling", "full-scale", "normalization.mean", "0.5", "normalization.std", "x")));
        assertTrue(e.getMessage().contains("normalization.std = 'x' is not a number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalization(0.5, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(0.5, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Normalization.Image(new float[1], 0));
    }
}
