package io.github.unet4j.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The input normalisation a trained model carries in its metadata: known answers and a round trip. */
class NormalizationTest {

    @Test
    void fitsMeanAndStandardDeviationOfTheScaledValuesAndApplesThem() {
        // Scaled by 10: 0, 0.2, 0.4, 0.6 -> mean 0.3, variance 0.05.
        Normalization n = Normalization.fit(List.of(new float[] {0, 2}, new float[] {4, 6}), 10);
        assertEquals(0.3, n.mean(), 1e-12);
        assertEquals(Math.sqrt(0.05), n.std(), 1e-12);
        float[] out = n.apply(new float[] {3, 5});
        assertArrayEquals(new float[] {0, (float) (0.2 / Math.sqrt(0.05))}, out, 1e-6f);
        assertEquals(n, Normalization.fromMetadata(n.toMetadata()), "written and read back exactly");
    }

    @Test
    void refusesNoImagesAndMissingMetadataByName() {
        assertThrows(IllegalArgumentException.class, () -> Normalization.fit(List.of(), 255));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.fromMetadata(Map.of("normalization.scale", "255")));
        assertTrue(e.getMessage().contains("normalization.mean"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalization(255, 0.5, 0));
    }
}
