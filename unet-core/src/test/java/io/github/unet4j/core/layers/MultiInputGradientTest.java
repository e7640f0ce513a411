package io.github.unet4j.core.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Upsampling;
import io.github.unet4j.core.blocks.Up;
import io.github.unet4j.core.graph.Tape;
import io.github.unet4j.core.testing.GradientCheck;
import io.github.unet4j.core.testing.TestTensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Gradient checks of the two-input parts and of dropout with a fixed mask. */
class MultiInputGradientTest {

    @Test
    void cropAndConcat() {
        Tape cc = Tape.record("cc", 2, g -> g.apply(new CropAndConcat("cc"), g.input(0), g.input(1)));
        INDArray skip = TestTensors.awayFromZero(1, DataType.DOUBLE, 2, 3, 9, 8);
        INDArray up = TestTensors.awayFromZero(2, DataType.DOUBLE, 2, 2, 4, 5);
        GradientCheck.Result r = new GradientCheck().check(List.of(skip, up), new GradientCheck.Function2() {
            @Override
            public INDArray forward(List<INDArray> in) {
                return cc.forward(Mode.TRAIN, in.get(0), in.get(1));
            }

            @Override
            public List<INDArray> backward(INDArray g) {
                return List.of(cc.backwardAll(g));
            }
        }, List.of());
        assertTrue(r.maxRelativeError() < LayerGradientTest.MAX_REL_ERROR, r.toString());
    }

    @ParameterizedTest
    @EnumSource(Upsampling.class)
    void upBlock(Upsampling upsampling) {
        Tape u = Tape.of(new Up("up", 4, 2, 2, Padding.VALID, false, upsampling, DataType.DOUBLE));
        LayerGradientTest.randomise(u.parameters(), 3);
        assertUpGradients(u, TestTensors.awayFromZero(1, DataType.DOUBLE, 2, 4, 4, 4),
                TestTensors.awayFromZero(2, DataType.DOUBLE, 2, 2, 11, 10));
    }

    @Test
    void upBlockWithBatchNormSame() {
        Tape u = Tape.of(new Up("up", 4, 2, 2, Padding.SAME, true, Upsampling.TRANSPOSED, DataType.DOUBLE));
        LayerGradientTest.randomise(u.parameters(), 3);
        assertUpGradients(u, TestTensors.awayFromZero(1, DataType.DOUBLE, 2, 4, 3, 3),
                TestTensors.awayFromZero(2, DataType.DOUBLE, 2, 2, 6, 6));
    }

    /** Checks dL/dx, dL/dSkip and the parameter gradients of an Up block. */
    private static void assertUpGradients(Tape u, INDArray x, INDArray skip) {
        GradientCheck.Result r = new GradientCheck().check(List.of(x, skip), new GradientCheck.Function2() {
            @Override
            public INDArray forward(List<INDArray> in) {
                return u.forward(Mode.TRAIN, in.get(0), in.get(1));
            }

            @Override
            public List<INDArray> backward(INDArray g) {
                return List.of(u.backwardAll(g));
            }
        }, u.parameters());
        assertTrue(r.maxRelativeError() < LayerGradientTest.MAX_REL_ERROR, r.toString());
    }

    @Test
    void dropoutWithFixedMask() {
        Dropout d = new Dropout("d", 0.4, 9);
        INDArray x = TestTensors.awayFromZero(1, DataType.DOUBLE, 2, 3, 5, 5);
        // Reseeding before every forward gives the same mask, so the function is fixed.
        GradientCheck.Result r = new GradientCheck().check(x, v -> {
            d.reseed(77);
            return d.forward(v, Mode.TRAIN);
        }, d::backward, List.of());
        assertTrue(r.checked() == 150);
        assertTrue(r.maxRelativeError() < LayerGradientTest.MAX_REL_ERROR, r.toString());
    }
}
