package io.github.unet4j.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.github.unet4j.core.Grad;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.ops.NativeOps;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each layer on tiny inputs whose results were computed by hand (in the comments). */
class KnownAnswerTest {
    private static final double TOL = 1e-12;

    private static INDArray t(double[] v, long... shape) {
        return Nd4j.createFromArray(v).reshape(shape);
    }

    private static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Test
    void conv2dValid() {
        // x = [[1,2,3],[4,5,6],[7,8,9]], k = [[1,2],[3,4]], b = 1:
        // out[0][0] = 1*1 + 2*2 + 3*4 + 4*5 + 1 = 38, then 48, 68, 78.
        Conv2d c = new Conv2d("c", 1, 1, 2, Padding.VALID, true, DataType.DOUBLE);
        c.weight().value().assign(t(new double[] {1, 2, 3, 4}, 1, 1, 2, 2));
        c.bias().value().assign(1);
        INDArray y = c.forward(t(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3), Mode.TRAIN);
        assertArrayEquals(new long[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new double[] {38, 48, 68, 78}, flat(y), TOL);
    }

    @Test
    void conv2dSameWithOnesKernel() {
        // A 3x3 ones kernel with zero padding sums each 3x3 neighbourhood of [1..9]:
        // corners 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28; edges 1+2+3+4+5+6 = 21,
        // 2+3+5+6+8+9 = 33, 4+5+6+7+8+9 = 39, 1+2+4+5+7+8 = 27; centre 45.
        Conv2d c = new Conv2d("c", 1, 1, 3, Padding.SAME, false, DataType.DOUBLE);
        c.weight().value().assign(1);
        INDArray y = c.forward(t(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3), Mode.TRAIN);
        assertArrayEquals(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, flat(y), TOL);
    }

    @Test
    void conv2dWeightLayoutIsOutInKk() {
        // 1x1 kernel [oC=2, iC=2]: out0 = 1*x0 + 10*x1, out1 = 100*x0 + 1000*x1 + 0.5.
        Conv2d c = new Conv2d("c", 2, 2, 1, Padding.VALID, true, DataType.DOUBLE);
        c.weight().value().assign(t(new double[] {1, 10, 100, 1000}, 2, 2, 1, 1));
        c.bias().value().assign(t(new double[] {0, 0.5}, 2));
        INDArray x = t(new double[] {1, 2, 3, 4}, 1, 2, 1, 2); // x0 = [1, 2], x1 = [3, 4]
        INDArray y = c.forward(x, Mode.TRAIN);
        assertArrayEquals(new double[] {31, 42, 3100.5, 4200.5}, flat(y), TOL);
        // Backward with g = 1 everywhere: dx0 = 1 + 100, dx1 = 10 + 1000; dW[o][i] = sum(x_i);
        // db = number of pixels.
        INDArray dx = c.backward(Nd4j.ones(DataType.DOUBLE, 1, 2, 1, 2));
        assertArrayEquals(new double[] {101, 101, 1010, 1010}, flat(dx), TOL);
        assertArrayEquals(new double[] {3, 7, 3, 7}, flat(c.weight().grad()), TOL);
        assertArrayEquals(new double[] {2, 2}, flat(c.bias().grad()), TOL);
    }

    @Test
    void backwardAccumulatesAndZeroGradResets() {
        Conv2d c = new Conv2d("c", 1, 1, 1, Padding.VALID, true, DataType.DOUBLE);
        c.weight().value().assign(2);
        INDArray x = t(new double[] {3}, 1, 1, 1, 1);
        INDArray g = t(new double[] {1}, 1, 1, 1, 1);
        c.forward(x, Mode.TRAIN);
        c.backward(g);
        c.forward(x, Mode.TRAIN);
        c.backward(g);
        assertEquals(6, c.weight().grad().getDouble(0), TOL); // 3 + 3
        assertEquals(2, c.bias().grad().getDouble(0), TOL);
        c.zeroGrad();
        assertEquals(0, c.weight().grad().getDouble(0), TOL);
    }

    @Test
    void relu() {
        ReLU r = new ReLU("r");
        INDArray y = r.forward(t(new double[] {-1, 0.5, 2, -3}, 1, 1, 2, 2), Mode.TRAIN);
        assertArrayEquals(new double[] {0, 0.5, 2, 0}, flat(y), TOL);
        INDArray dx = r.backward(t(new double[] {5, 6, 7, 8}, 1, 1, 2, 2));
        assertArrayEquals(new double[] {0, 6, 7, 0}, flat(dx), TOL);
    }

    @Test
    void reluInPlaceWritesTheGradientOverTheActivation() {
        ReLU r = new ReLU("r", true);
        INDArray x = t(new double[] {-1, 0.5, 2, -3}, 1, 1, 2, 2);
        INDArray y = r.forward(x, Mode.TRAIN);
        assertSame(x, y);
        assertArrayEquals(new double[] {0, 0.5, 2, 0}, flat(y), TOL);
        INDArray dx = r.backward(t(new double[] {5, -6, 7, 8}, 1, 1, 2, 2));
        assertSame(y, dx);
        assertArrayEquals(new double[] {0, -6, 7, 0}, flat(dx), TOL);
    }

    @Test
    void addIntoStridedViews() {
        // target: the centre 2x2 of each channel of a [1, 2, 4, 4] array of zeros; g: channels 1-2
        // of a [1, 3, 2, 2] array holding 1..12, i.e. 5..12 (both views are strided).
        INDArray full = Nd4j.zeros(DataType.DOUBLE, 1, 2, 4, 4);
        INDArray window = full.get(all(), all(), interval(1, 3), interval(1, 3));
        INDArray src = t(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 1, 3, 2, 2);
        INDArray g = src.get(all(), interval(1, 3), all(), all());
        NativeOps.addInto(window, g);
        NativeOps.addInto(window, g);
        assertArrayEquals(new double[] {
            0, 0, 0, 0, 0, 10, 12, 0, 0, 14, 16, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 18, 20, 0, 0, 22, 24, 0, 0, 0, 0, 0}, flat(full), TOL);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, flat(src), TOL);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void maxPool(DataType dt) {
        // 4x4 rows: [1 5 2 0], [3 4 8 1], [0 2 1 1], [9 1 3 7] -> max of each 2x2 block: 5 8 9 7.
        MaxPool2d p = new MaxPool2d("p");
        INDArray x = t(new double[] {1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 1, 1, 9, 1, 3, 7}, 1, 1, 4, 4).castTo(dt);
        assertArrayEquals(new double[] {5, 8, 9, 7}, flat(p.forward(x, Mode.TRAIN)), TOL);
        // The gradient goes to the arg-max of each block.
        INDArray dx = p.backward(t(new double[] {10, 20, 30, 40}, 1, 1, 2, 2).castTo(dt));
        assertArrayEquals(new double[] {0, 10, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 30, 0, 0, 40}, flat(dx), TOL);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void maxPoolGivesATiedBlockItsGradientOnce(DataType dt) {
        // Two channels of one 2x2 block each: all four equal (the zeros after a ReLU), and the
        // two bottom ones tied. The gradient goes to one of the tied inputs, not to each.
        MaxPool2d p = new MaxPool2d("p");
        INDArray x = t(new double[] {0, 0, 0, 0, 1, 2, 3, 3}, 1, 2, 2, 2).castTo(dt);
        assertArrayEquals(new double[] {0, 3}, flat(p.forward(x, Mode.TRAIN)), TOL);
        double[] dx = flat(p.backward(t(new double[] {10, 20}, 1, 2, 1, 1).castTo(dt)));
        assertOnce(10, dx[0], dx[1], dx[2], dx[3]);
        assertEquals(0, dx[4], TOL);
        assertEquals(0, dx[5], TOL);
        assertOnce(20, dx[6], dx[7]);
    }

    /** Exactly one of the values is the gradient, the others are 0. */
    private static void assertOnce(double gradient, double... values) {
        long carrying = Arrays.stream(values).filter(v -> Math.abs(v - gradient) <= TOL).count();
        long zero = Arrays.stream(values).filter(v -> Math.abs(v) <= TOL).count();
        assertEquals(1, carrying, () -> Arrays.toString(values));
        assertEquals(values.length - 1, zero, () -> Arrays.toString(values));
    }

    @Test
    void convTransposeLayoutIsInOutKk() {
        // x = [[1, 2]] (1 channel); w[0][0] = [[1,2],[3,4]], w[0][1] = [[10,20],[30,40]]; b = [0, 1].
        // Each input pixel paints x * w into its own 2x2 block.
        ConvTranspose2d u = new ConvTranspose2d("u", 1, 2, true, DataType.DOUBLE);
        u.weight().value().assign(t(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2));
        u.bias().value().assign(t(new double[] {0, 1}, 2));
        INDArray y = u.forward(t(new double[] {1, 2}, 1, 1, 1, 2), Mode.TRAIN);
        assertArrayEquals(new long[] {1, 2, 2, 4}, y.shape());
        assertArrayEquals(new double[] {1, 2, 2, 4, 3, 4, 6, 8, 11, 21, 21, 41, 31, 41, 61, 81}, flat(y), TOL);
        // dL/dx with g = 1: sum of the kernel over both outputs = 10 + 100 = 110 for each pixel.
        INDArray dx = u.backward(Nd4j.ones(DataType.DOUBLE, 1, 2, 2, 4));
        assertArrayEquals(new double[] {110, 110}, flat(dx), TOL);
        // dL/dw[0][o] = sum over input pixels of x = 1 + 2 = 3 per tap; db = 8 pixels per channel.
        assertArrayEquals(new double[] {3, 3, 3, 3, 3, 3, 3, 3}, flat(u.weight().grad()), TOL);
        assertArrayEquals(new double[] {8, 8}, flat(u.bias().grad()), TOL);
    }

    @Test
    void batchNormTrainingAndRunningStatistics() {
        // One channel [1, 2, 3, 4]: mean 2.5, biased variance 1.25.
        BatchNorm2d bn = new BatchNorm2d("bn", 1, DataType.DOUBLE);
        INDArray x = t(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        INDArray y = bn.forward(x, Mode.TRAIN);
        double s = Math.sqrt(1.25 + 1e-5);
        assertArrayEquals(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, flat(y), 1e-12);
        // Running mean 0.9 * 0 + 0.1 * 2.5; running variance 0.9 * 1 + 0.1 * (1.25 * 4 / 3).
        assertEquals(0.25, bn.buffers().get(0).value().getDouble(0), 1e-12);
        assertEquals(0.9 + 0.1 * 1.25 * 4 / 3, bn.buffers().get(1).value().getDouble(0), 1e-12);
        // Inference uses the running statistics.
        INDArray yi = bn.forward(x, Mode.INFER);
        double si = Math.sqrt(0.9 + 0.1 * 1.25 * 4 / 3 + 1e-5);
        assertEquals((1 - 0.25) / si, yi.getDouble(0), 1e-12);
    }

    @Test
    void dropoutDropsScalesAndIsReproducible() {
        Dropout d = new Dropout("d", 0.5, 42);
        INDArray x = Nd4j.ones(DataType.DOUBLE, 1, 4, 50, 50);
        INDArray y = d.forward(x, Mode.TRAIN);
        double[] v = flat(y);
        int zeros = 0;
        for (double e : v) {
            assertEquals(0, Math.min(Math.abs(e), Math.abs(e - 2)), TOL, "kept values are scaled by 1/(1-p)");
            zeros += e == 0 ? 1 : 0;
        }
        assertEquals(0.5, zeros / (double) v.length, 0.03);
        assertSame(x, d.forward(x, Mode.INFER));
        Dropout again = new Dropout("d", 0.5, 42);
        assertArrayEquals(v, flat(again.forward(x, Mode.TRAIN)), TOL);
        assertNotEquals(0, TestTensorsAccess.diff(y, d.forward(x, Mode.TRAIN)), "a new mask each pass");
    }

    @Test
    void cropAndConcat() {
        // skip 4x4 = 0..15 centre 2x2 = [[5, 6], [9, 10]]; up = [[100, 101], [102, 103]].
        CropAndConcat cc = new CropAndConcat("cc");
        INDArray skip = Nd4j.arange(16).castTo(DataType.DOUBLE).reshape(1, 1, 4, 4);
        INDArray up = t(new double[] {100, 101, 102, 103}, 1, 1, 2, 2);
        INDArray y = cc.forward(Mode.TRAIN, skip, up);
        assertArrayEquals(new double[] {5, 6, 9, 10, 100, 101, 102, 103}, flat(y), TOL);
        Grad[] g = cc.backward(t(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2));
        assertTrue(g[0].isWindow(), "the skip gradient is stored as its crop window");
        assertArrayEquals(new long[] {0, 0, 1, 1}, g[0].offset());
        INDArray whole = Nd4j.zeros(DataType.DOUBLE, g[0].shape());
        g[0].region(whole).assign(g[0].array());
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0}, flat(whole), TOL);
        assertFalse(g[1].isWindow());
        assertArrayEquals(new double[] {5, 6, 7, 8}, flat(g[1].array()), TOL);
    }

    @Test
    void bilinearUpsampleHalfPixel() {
        // Row [0, 4] to width 4, half-pixel centres: sources -0.25 (clamped to 0), 0.25, 0.75,
        // 1.25 (clamped to 1) give 0, 1, 3, 4; the single row is repeated.
        BilinearUpsample2d b = new BilinearUpsample2d("b");
        INDArray y = b.forward(t(new double[] {0, 4}, 1, 1, 1, 2), Mode.TRAIN);
        assertArrayEquals(new long[] {1, 1, 2, 4}, y.shape());
        assertArrayEquals(new double[] {0, 1, 3, 4, 0, 1, 3, 4}, flat(y), TOL);
        // Backward is the transpose: dx0 = 2 * (1 + 0.75 + 0.25) = 4 from g = 1, same for dx1.
        INDArray dx = b.backward(Nd4j.ones(DataType.DOUBLE, 1, 1, 2, 4));
        assertArrayEquals(new double[] {4, 4}, flat(dx), TOL);
    }

    /** Small helper kept local to the test. */
    static final class TestTensorsAccess {
        static double diff(INDArray a, INDArray b) {
            return a.sub(b).norm1Number().doubleValue();
        }
    }
}
