package io.github.unet4j.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.ops.Softmax;
import io.github.unet4j.core.testing.TestTensors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The class-axis log-softmax, in FLOAT where oneDNN helpers could step in, and at extreme logits. */
class LogSoftmaxTest {

    @Test
    void floatRank4AlongClassAxisSumsToOneAndMatchesDouble() {
        INDArray z = LossFixtures.logits(3, DataType.DOUBLE, 2, 5, 6, 7).muli(4);
        INDArray f = Softmax.log(z.castTo(DataType.FLOAT));
        INDArray sums = Transforms.exp(f, true).sum(1);
        assertEquals(0, Transforms.abs(sums.subi(1), false).maxNumber().doubleValue(), 1e-5);
        // Hand-rolled double reference, pixel by pixel, so an error in axis handling shows.
        INDArray ref = z.dup();
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 7; x++) {
                    double s = 0;
                    for (int k = 0; k < 5; k++) {
                        s += Math.exp(z.getDouble(n, k, y, x));
                    }
                    for (int k = 0; k < 5; k++) {
                        ref.putScalar(new long[] {n, k, y, x}, z.getDouble(n, k, y, x) - Math.log(s));
                    }
                }
            }
        }
        assertTrue(TestTensors.relativeNormError(f, ref) < 1e-6);
        assertTrue(TestTensors.relativeNormError(Softmax.log(z), ref) < 1e-12);
    }

    @Test
    void nd4jLogSoftmaxOpAlongAxisOneAgreesOnModerateFloatLogits() {
        // The op itself is fine along axis 1 for moderate logits (unlike the oneDNN softmax helper).
        INDArray z = LossFixtures.logits(4, DataType.FLOAT, 2, 3, 5, 5);
        INDArray op = Nd4j.exec(DynamicCustomOp.builder("log_softmax").addInputs(z).addIntegerArguments(1).build())[0];
        INDArray sums = Transforms.exp(op, true).sum(1);
        assertEquals(0, Transforms.abs(sums.subi(1), false).maxNumber().doubleValue(), 1e-5);
        assertTrue(TestTensors.relativeNormError(op, Softmax.log(z)) < 1e-6);
    }

    @Test
    void finiteForHugeGaps() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray z = Nd4j.createFromArray(1000.0, -1000.0).reshape(1, 2, 1, 1).castTo(dt);
            INDArray l = Softmax.log(z);
            assertEquals(0.0, l.getDouble(0, 0, 0, 0), 0.0, dt.toString());
            assertEquals(-2000.0, l.getDouble(0, 1, 0, 0), 0.0, dt.toString());
        }
    }
}
