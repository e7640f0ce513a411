package io.github.unet4j.train.weightmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Touching instances get a separating ridge (against brute force); K-class weight maps. */
class InstancesTest {

    /** Brute force: a pixel keeps its id unless one of its 8 neighbours holds another object. */
    private static int[] bruteSeparate(int[] ids, int w, int h) {
        int[] out = ids.clone();
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < ids.length; j++) {
                int dx = Math.abs(i % w - j % w);
                int dy = Math.abs(i / w - j / w);
                if (ids[i] != 0 && ids[j] != 0 && ids[j] != ids[i] && dx <= 1 && dy <= 1) {
                    out[i] = 0;
                }
            }
        }
        return out;
    }

    @Test
    void separateMatchesBruteForceOnRandomInstanceImages() {
        Random r = new Random(3);
        for (int t = 0; t < 50; t++) {
            int w = 1 + r.nextInt(9);
            int h = 1 + r.nextInt(9);
            int[] ids = new int[w * h];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(3);
            }
            assertArrayEquals(bruteSeparate(ids, w, h), Instances.separate(ids, w, h));
        }
    }

    @Test
    void twoTouchingSquaresGetATwoPixelRidgeThatTheBorderTermWeighs() {
        // 10x4: object 1 in x 0..4, object 2 in x 5..9.
        int w = 10;
        int h = 4;
        int[] ids = new int[w * h];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % w < 5 ? 1 : 2;
        }
        int[] s = Instances.separate(ids, w, h);
        for (int y = 0; y < h; y++) {
            assertEquals(0, s[y * w + 4]);
            assertEquals(0, s[y * w + 5]);
            assertEquals(1, s[y * w + 3]);
            assertEquals(2, s[y * w + 6]);
        }
        float[] wm = WeightMap.fromInstances(s, w, h, WeightMapConfig.paper().withClassBalance(ClassBalance.NONE));
        // On the ridge d1 = d2 = 1 or 2: 1 + 10 exp(-(1 + 2)^2 / 50).
        assertEquals(1 + 10 * Math.exp(-9.0 / 50), wm[4], 1e-5);
        assertEquals(1f, wm[0], 0f);
    }

    @Test
    void classWeightMapBalancesEachClassAndSeparatesObjectsOfDifferentClasses() {
        // 6x1: 0 0 1 1 2 2 -> with inverse frequency each of the 3 classes weighs 6 / (3 * 2) = 1;
        // touching objects of classes 1 and 2 stay two objects (no border term: no background between them).
        int[] c = {0, 0, 1, 1, 2, 2};
        float[] balanced = WeightMap.fromClasses(c, 6, 1, 3, WeightMapConfig.paper()
                .withClassBalance(ClassBalance.INVERSE_FREQUENCY).withW0(0));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, balanced, 1e-6f);
        int[] rare = {0, 0, 0, 0, 1, 2};
        float[] w = WeightMap.fromClasses(rare, 6, 1, 3, WeightMapConfig.paper()
                .withClassBalance(ClassBalance.INVERSE_FREQUENCY).withW0(0));
        assertEquals(6.0 / (3 * 4), w[0], 1e-6);
        assertEquals(6.0 / 3, w[4], 1e-6);
        // A background gap between a class-1 and a class-2 object gets the border term.
        int[] gap = {1, 1, 0, 2, 2};
        float[] b = WeightMap.fromClasses(gap, 5, 1, 3, WeightMapConfig.paper().withClassBalance(ClassBalance.NONE));
        assertEquals(1 + 10 * Math.exp(-4.0 / 50), b[2], 1e-5);
        assertTrue(b[0] == 1f && b[4] == 1f);
    }
}
