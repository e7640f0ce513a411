package io.github.unet4j.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.blocks.DoubleConv;
import io.github.unet4j.core.blocks.Down;
import io.github.unet4j.core.blocks.OutConv;
import io.github.unet4j.core.graph.Tape;
import io.github.unet4j.core.testing.GradientCheck;
import io.github.unet4j.core.testing.TestTensors;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every single-input layer and block: finite-difference gradients in double precision, and the
 * float path (where ND4J's oneDNN helpers run) against the double path.
 */
public class LayerGradientTest {
    static final double MAX_REL_ERROR = 1e-4;
    /** Float against double: float carries ~7 digits, sums of a few hundred terms lose about one. */
    static final double FLOAT_TOLERANCE = 1e-5;

    /** How to build a layer of a data type, its input shape, and whether inputs must be tie-free. */
    record Case(Function<DataType, Layer> make, long[] shape, boolean distinct) {
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("Conv2d 3x3 VALID", dt -> new Conv2d("c", 3, 4, 3, Padding.VALID, true, dt), false, 2, 3, 7, 6),
                c("Conv2d 3x3 SAME", dt -> new Conv2d("c", 3, 4, 3, Padding.SAME, true, dt), false, 2, 3, 5, 6),
                c("Conv2d 3x3 VALID no bias", dt -> new Conv2d("c", 2, 3, 3, Padding.VALID, false, dt), false,
                        1, 2, 5, 5),
                c("Conv2d 1x1", dt -> new Conv2d("c", 4, 2, 1, Padding.VALID, true, dt), false, 2, 4, 3, 5),
                c("ReLU", dt -> new ReLU("r"), false, 2, 3, 4, 5),
                c("MaxPool2d", dt -> new MaxPool2d("p"), true, 2, 3, 6, 4),
                c("ConvTranspose2d", dt -> new ConvTranspose2d("u", 4, 3, true, dt), false, 2, 4, 3, 5),
                c("ConvTranspose2d no bias", dt -> new ConvTranspose2d("u", 3, 2, false, dt), false, 1, 3, 2, 3),
                c("BatchNorm2d", dt -> new BatchNorm2d("bn", 3, dt), false, 3, 3, 4, 5),
                c("BilinearUpsample2d", dt -> new BilinearUpsample2d("b"), false, 2, 3, 3, 4),
                c("DoubleConv VALID", dt -> Tape.of(new DoubleConv("d", 2, 3, Padding.VALID, false, dt)), false, 2, 2, 9, 8),
                c("DoubleConv SAME", dt -> Tape.of(new DoubleConv("d", 2, 3, Padding.SAME, false, dt)), false, 2, 2, 6, 5),
                c("DoubleConv VALID + BatchNorm", dt -> Tape.of(new DoubleConv("d", 2, 3, Padding.VALID, true, dt)), false,
                        2, 2, 8, 8),
                c("Down VALID", dt -> Tape.of(new Down("dn", 2, 3, Padding.VALID, false, dt)), true, 2, 2, 14, 12),
                c("OutConv", dt -> Tape.of(new OutConv("o", 3, 2, dt)), false, 2, 3, 4, 4));
    }

    private static Arguments c(String name, Function<DataType, Layer> make, boolean distinct, long... shape) {
        return Arguments.of(Named.of(name, new Case(make, shape, distinct)));
    }

    /** Non-trivial parameter values (biases and batch-norm shifts included), away from zero. */
    public static void randomise(List<Parameter> ps, long seed) {
        for (Parameter p : ps) {
            INDArray v = TestTensors.awayFromZero(seed++, p.value().dataType(), p.shape()).muli(0.5);
            p.value().assign(v);
        }
    }

    static INDArray input(Case c, DataType dt) {
        return c.distinct() ? TestTensors.distinct(7, dt, c.shape()) : TestTensors.awayFromZero(7, dt, c.shape());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        Layer layer = c.make().apply(DataType.DOUBLE);
        randomise(layer.parameters(), 11);
        GradientCheck.Result r = new GradientCheck().check(input(c, DataType.DOUBLE),
                x -> layer.forward(x, Mode.TRAIN), layer::backward, layer.parameters());
        assertTrue(r.checked() > 0);
        assertTrue(r.maxRelativeError() < MAX_REL_ERROR, r.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void floatPathMatchesDoublePath(Case c) {
        Layer d = c.make().apply(DataType.DOUBLE);
        Layer f = c.make().apply(DataType.FLOAT);
        randomise(d.parameters(), 11);
        TestTensors.copyValues(d.parameters(), f.parameters());
        INDArray xd = input(c, DataType.DOUBLE);
        INDArray yd = d.forward(xd, Mode.TRAIN);
        INDArray yf = f.forward(xd.castTo(DataType.FLOAT), Mode.TRAIN);
        assertEquals(DataType.FLOAT, yf.dataType());
        assertTrue(TestTensors.relativeNormError(yf, yd) < FLOAT_TOLERANCE, "forward");
        INDArray g = TestTensors.awayFromZero(3, DataType.DOUBLE, yd.shape());
        INDArray gxd = d.backward(g);
        INDArray gxf = f.backward(g.castTo(DataType.FLOAT));
        assertTrue(TestTensors.relativeNormError(gxf, gxd) < FLOAT_TOLERANCE,
                "dx: " + TestTensors.relativeNormError(gxf, gxd));
        for (int i = 0; i < d.parameters().size(); i++) {
            Parameter pd = d.parameters().get(i);
            Parameter pf = f.parameters().get(i);
            double e = TestTensors.relativeNormError(pf.grad(), pd.grad());
            assertTrue(e < FLOAT_TOLERANCE, pd.name() + " gradient: " + e);
        }
    }
}
