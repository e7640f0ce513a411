package io.github.unet4j.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.data.Sample;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {

    /** Image, label and weight all carry the same values, so any mismatch shows. */
    private static Sample coded(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = w * h;
        float[] img = new float[n];
        int[] label = new int[n];
        float[] weight = new float[n];
        for (int i = 0; i < n; i++) {
            label[i] = r.nextInt(5);
            img[i] = label[i];
            weight[i] = label[i];
        }
        return Sample.of(img, label, weight, w, h);
    }

    @Test
    void defaultsAreThePapersAndSeedsReproduce() {
        AugmentConfig d = AugmentConfig.defaults();
        assertEquals(ElasticDeformation.paper(), d.elastic());
        assertEquals(1, d.elasticProbability());
        assertEquals(0, d.rotationProbability());
        Augmenter a = new Augmenter(d);
        Sample s = TransformsTest.random(48, 48, 1);
        Sample x = a.augment(s, new SplittableRandom(5));
        Sample y = a.augment(s, new SplittableRandom(5));
        Sample z = a.augment(s, new SplittableRandom(6));
        assertEquals(x, y);
        assertNotEquals(x, z);
        assertNotEquals(s, x);
        assertEquals(TransformsTest.random(48, 48, 1), s, "input untouched");
    }

    @Test
    void imageLabelAndWeightGetTheSameGeometricTransform() {
        AugmentConfig c = AugmentConfig.defaults().withRotation(1, 30).withShift(1, 5)
                .withGray(0, GrayValue.mild()).withInterpolation(Interpolation.NEAREST);
        Augmenter a = new Augmenter(c);
        Sample s = coded(40, 40, 2);
        for (long seed = 0; seed < 10; seed++) {
            Sample out = a.augment(s, new SplittableRandom(seed));
            assertNotEquals(s, out);
            for (int i = 0; i < out.label().length; i++) {
                assertEquals(out.label()[i], out.image()[i], "image vs label at " + i);
                assertEquals(out.label()[i], out.weight()[i], "weight vs label at " + i);
            }
        }
    }

    @Test
    void everythingOffIsTheIdentity() {
        Sample s = TransformsTest.random(20, 12, 3);
        assertEquals(s, new Augmenter(AugmentConfig.none()).augment(s, new SplittableRandom(1)));
    }

    @Test
    void flipsAndTurnsAloneReachAllEightOrientationsExactly() {
        AugmentConfig c = AugmentConfig.none().withFlipProbability(0.5).withRot90Probability(0.75);
        Augmenter a = new Augmenter(c);
        Sample s = TransformsTest.random(6, 6, 4);
        Set<Sample> seen = new HashSet<>();
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 200; i++) {
            seen.add(a.augment(s, r));
        }
        assertEquals(8, seen.size(), "the dihedral group of the square has 8 elements");
    }

    @Test
    void nonSquareSamplesKeepTheirSize() {
        Augmenter a = new Augmenter(AugmentConfig.defaults().withRot90Probability(1));
        Sample s = TransformsTest.random(30, 20, 5);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 10; i++) {
            Sample out = a.augment(s, r);
            assertEquals(30, out.width());
            assertEquals(20, out.height());
            for (int l : out.label()) {
                assertTrue(l >= 0 && l < 4);
            }
        }
    }

    @Test
    void composedFieldWithoutElasticOrRotationIsAPureShift() {
        DisplacementField f = Augmenter.compose(5, 4, null, 0, 2, -1);
        for (int i = 0; i < 20; i++) {
            assertEquals(-2f, f.dx()[i]);
            assertEquals(1f, f.dy()[i]);
        }
        Sample s = TransformsTest.random(5, 4, 6);
        assertEquals(Transforms.shift(s, 2, -1), Warp.apply(s, f, Interpolation.BICUBIC));
        DisplacementField r = Augmenter.compose(9, 7, null, 25, 0, 0);
        DisplacementField expected = DisplacementField.rotation(9, 7, 25);
        assertArrayEquals(expected.dx(), r.dx(), 1e-5f);
        assertArrayEquals(expected.dy(), r.dy(), 1e-5f);
    }

    @Test
    void badConfigurationIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AugmentConfig.defaults().withFlipProbability(1.5));
        assertTrue(e.getMessage().contains("flipProbability"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AugmentConfig.defaults().withShift(0.5, -1));
        assertTrue(e.getMessage().contains("maxShift"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.defaults().withRotation(Double.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.defaults().withInterpolation(null));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter(null));
        assertThrows(IllegalArgumentException.class,
                () -> new Augmenter(AugmentConfig.defaults()).augment(null, new SplittableRandom(1)));
    }
}
