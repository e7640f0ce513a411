package io.github.unet4j.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.UNet;
import io.github.unet4j.core.UNetConfig;
import io.github.unet4j.core.infer.MirrorPad;
import io.github.unet4j.core.ops.Softmax;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Overlap-tile inference reproduces untiled results exactly. */
class OverlapTileTest {

    /** A known predictor: the centre of the tile plus one, in two classes (x + 1 and 2x). */
    static final class CentrePlusOne implements TileModel {
        private final int in;
        private final int out;

        CentrePlusOne(int in, int out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public int inputTile() {
            return in;
        }

        @Override
        public int outputTile() {
            return out;
        }

        @Override
        public int classes() {
            return 2;
        }

        @Override
        public int inChannels() {
            return 1;
        }

        @Override
        public INDArray apply(INDArray tiles) {
            int m = (in - out) / 2;
            INDArray c = tiles.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(m, m + out),
                    NDArrayIndex.interval(m, m + out));
            return Nd4j.concat(1, c.add(1), c.mul(2));
        }
    }

    static float[] ramp(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(1000);
        }
        return v;
    }

    @ParameterizedTest(name = "{0}x{1} image, tiles {2} -> {3}, batch {4}")
    @CsvSource({"37,23,20,8,3", "8,8,20,8,1", "5,3,20,8,4", "16,24,12,12,2", "1,1,9,1,5"})
    void knownPredictorIsReproducedExactly(int w, int h, int in, int out, int batch) {
        float[] img = ramp(w, h, w * 31L + h);
        float[][] p = new OverlapTile(new CentrePlusOne(in, out), batch).predict(new float[][] {img}, w, h);
        for (int i = 0; i < img.length; i++) {
            assertEquals(img[i] + 1, p[0][i], 0f, "pixel " + i);
            assertEquals(img[i] * 2, p[1][i], 0f, "pixel " + i);
        }
    }

    @Test
    void tiledUNetEqualsOneForwardPassOverTheMirroredImage() {
        // Depth 3 VALID: margin 20, valid inputs 44 + 8k. A 28x36 image mirrored by 20 is 68x76,
        // valid, so one forward pass gives the whole image; 44 -> 4 tiles give it in 63 pieces.
        UNetConfig c = UNetConfig.paper().withDepth(3).withBaseChannels(2).withDropout(0);
        UNet net = new UNet(c, DataType.DOUBLE, 5);
        int w = 36;
        int h = 28;
        float[] img = ramp(w, h, 3);
        for (int i = 0; i < img.length; i++) {
            img[i] = img[i] / 500f - 1;
        }
        float[][] tiled = new OverlapTile(UNetTileModel.of(net, 44), 8).predict(new float[][] {img}, w, h);
        float[] padded = MirrorPad.pad(img, w, h, 20, 20, 20, 20);
        INDArray x = Nd4j.create(padded, new long[] {1, 1, h + 40, w + 40}, DataType.FLOAT).castTo(DataType.DOUBLE);
        INDArray whole = Softmax.probabilities(net.forward(x, Mode.INFER)).castTo(DataType.FLOAT);
        assertArrayEquals(new long[] {1, 2, h, w}, whole.shape());
        for (int cl = 0; cl < 2; cl++) {
            float[] expected = whole.get(NDArrayIndex.point(0), NDArrayIndex.point(cl)).dup('c').data().asFloat();
            assertArrayEquals(expected, tiled[cl], 1e-6f, "class " + cl);
        }
    }

    @Test
    void dihedralTransformsInvertAndAnEquivariantModelIsUnchanged() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 6, 6);
        for (int t = 0; t < 8; t++) {
            assertEquals(x, Dihedral.inverse(Dihedral.forward(x, t), t), "transform " + t);
        }
        CentrePlusOne m = new CentrePlusOne(6, 4);
        assertTrue(m.apply(x).equalsWithEps(new Dihedral(m).apply(x), 1e-5));
        // The eight transforms are distinct on a generic input.
        for (int a = 0; a < 8; a++) {
            for (int b = a + 1; b < 8; b++) {
                assertTrue(!Dihedral.forward(x, a).equals(Dihedral.forward(x, b)), a + " vs " + b);
            }
        }
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> new OverlapTile(new CentrePlusOne(20, 8), 0));
        assertThrows(IllegalArgumentException.class, () -> new OverlapTile(new CentrePlusOne(20, 9), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OverlapTile(new CentrePlusOne(20, 8), 1).predict(new float[2][4], 2, 2));
        assertTrue(e.getMessage().contains("2 channels"), e.getMessage());
    }

    @Test
    void argmaxPicksTheLargestClass() {
        float[][] maps = {{0.2f, 0.6f, 0.5f}, {0.8f, 0.4f, 0.5f}};
        assertArrayEquals(new int[] {1, 0, 0}, OverlapTile.argmax(maps));
    }
}
