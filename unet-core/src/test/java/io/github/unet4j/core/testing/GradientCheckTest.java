package io.github.unet4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.layers.Conv2d;
import io.github.unet4j.core.layers.ReLU;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The checker must catch a wrong gradient: plant one in the input and one in a parameter. */
class GradientCheckTest {

    private static Conv2d conv() {
        Conv2d c = new Conv2d("c", 2, 3, 3, Padding.VALID, true, DataType.DOUBLE);
        long seed = 5;
        for (Parameter p : c.parameters()) {
            p.value().assign(TestTensors.awayFromZero(seed++, DataType.DOUBLE, p.shape()));
        }
        return c;
    }

    @Test
    void catchesAWrongInputGradient() {
        Conv2d c = conv();
        INDArray x = TestTensors.awayFromZero(1, DataType.DOUBLE, 1, 2, 5, 5);
        // A 1% error in dL/dx, as a wrong scale or a missed term would give.
        GradientCheck.Result r = new GradientCheck().check(x, v -> c.forward(v, Mode.TRAIN),
                g -> c.backward(g).muli(1.01), c.parameters());
        assertTrue(r.maxRelativeError() > 1e-3, r.toString());
    }

    @Test
    void catchesAWrongParameterGradient() {
        Conv2d c = conv();
        INDArray x = TestTensors.awayFromZero(1, DataType.DOUBLE, 1, 2, 5, 5);
        GradientCheck.Result r = new GradientCheck().check(x, v -> c.forward(v, Mode.TRAIN), g -> {
            INDArray dx = c.backward(g);
            c.bias().grad().putScalar(1, c.bias().grad().getDouble(1) + 0.05);
            return dx;
        }, c.parameters());
        assertTrue(r.maxRelativeError() > 1e-3, r.toString());
        assertTrue(r.worst().startsWith("c.bias"), r.worst());
    }

    @Test
    void catchesAWrongReluDerivative() {
        ReLU relu = new ReLU("r");
        INDArray x = TestTensors.awayFromZero(1, DataType.DOUBLE, 1, 1, 4, 4);
        // Passing the gradient through unchanged (forgetting the mask) must be caught.
        GradientCheck.Result r = new GradientCheck().check(x, v -> relu.forward(v, Mode.TRAIN), g -> g.dup(),
                List.of());
        assertTrue(r.maxRelativeError() > 0.5, r.toString());
    }

    @Test
    void passesTheCorrectGradient() {
        Conv2d c = conv();
        INDArray x = TestTensors.awayFromZero(1, DataType.DOUBLE, 1, 2, 5, 5);
        GradientCheck.Result r = new GradientCheck().check(x, v -> c.forward(v, Mode.TRAIN), c::backward,
                c.parameters());
        assertTrue(r.maxRelativeError() < 1e-6, r.toString());
    }
}
