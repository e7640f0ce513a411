package io.github.unet4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.core.Layer;
import io.github.unet4j.core.Mode;
import io.github.unet4j.core.Padding;
import io.github.unet4j.core.Parameter;
import io.github.unet4j.core.layers.Conv2d;
import io.github.unet4j.core.layers.ConvTranspose2d;
import io.github.unet4j.core.layers.LayerGradientTest;
import io.github.unet4j.core.testing.TestTensors;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layers run over row bands give what they give in one call, in float (ND4J's oneDNN path,
 * which reads and writes the bands as strided views) and in double (the generic path), with
 * bands of one row and bands of several rows with a shorter last band. The whole-network and
 * per-layer gradient checks also run with one-row bands (a surefire execution in the pom).
 */
class RowBandsTest {
    private final long saved = RowBands.bandBytes();

    @AfterEach
    void restore() {
        RowBands.setBandBytes(saved);
    }

    record Case(Function<DataType, Layer> make, long[] shape) {
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("Conv2d 3x3 VALID", dt -> new Conv2d("c", 3, 5, 3, Padding.VALID, true, dt), 2, 3, 23, 9),
                c("Conv2d 3x3 VALID no bias", dt -> new Conv2d("c", 4, 3, 3, Padding.VALID, false, dt), 1, 4, 19, 8),
                c("Conv2d 5x5 VALID", dt -> new Conv2d("c", 2, 3, 5, Padding.VALID, true, dt), 1, 2, 17, 9),
                c("Conv2d 1x1", dt -> new Conv2d("c", 4, 2, 1, Padding.VALID, true, dt), 2, 4, 21, 6),
                c("ConvTranspose2d", dt -> new ConvTranspose2d("u", 4, 3, true, dt), 2, 4, 11, 5),
                c("ConvTranspose2d no bias", dt -> new ConvTranspose2d("u", 3, 2, false, dt), 1, 3, 9, 4));
    }

    private static Arguments c(String name, Function<DataType, Layer> make, long... shape) {
        return Arguments.of(Named.of(name, new Case(make, shape)));
    }

    /** Output, input gradient and parameter gradients of one forward and backward. */
    private static List<INDArray> run(Case c, DataType dt, long bandBytes) {
        RowBands.setBandBytes(bandBytes);
        Layer layer = c.make().apply(dt);
        LayerGradientTest.randomise(layer.parameters(), 11);
        INDArray x = TestTensors.awayFromZero(7, dt, c.shape());
        INDArray y = layer.forward(x, Mode.TRAIN).dup();
        INDArray dx = layer.backward(TestTensors.awayFromZero(3, dt, y.shape())).dup();
        List<INDArray> out = new java.util.ArrayList<>(List.of(y, dx));
        for (Parameter p : layer.parameters()) {
            out.add(p.grad().dup());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bandsGiveWhatOneCallGives(Case c) {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double tolerance = dt == DataType.FLOAT ? 1e-6 : 1e-13;
            List<INDArray> whole = run(c, dt, Long.MAX_VALUE);
            // The smallest bands the layer allows (a few rows: at least 4x the weights' bytes),
            // then about five rows per band with a shorter last one.
            long rowBytes = c.shape()[0] * c.shape()[1] * c.shape()[3] * dt.width() * 2;
            for (long bytes : new long[] {1, 5 * rowBytes}) {
                List<INDArray> banded = run(c, dt, bytes);
                String[] what = {"output", "input gradient", "weight gradient", "bias gradient"};
                for (int i = 0; i < whole.size(); i++) {
                    double e = TestTensors.relativeNormError(banded.get(i), whole.get(i));
                    assertTrue(e < tolerance, dt + ", band of " + bytes + " bytes, " + what[i] + ": relative error " + e);
                }
            }
        }
    }

    @Test
    void bandsCoverTheRowsInOrder() {
        RowBands.setBandBytes(1000);
        List<RowBands.Band> bands = RowBands.of(23, 200, 0);
        assertEquals(5, bands.size());
        long next = 0;
        for (RowBands.Band b : bands) {
            assertEquals(next, b.from());
            assertTrue(b.to() > b.from());
            next = b.to();
        }
        assertEquals(23, next);
        assertEquals(List.of(new RowBands.Band(0, 23)), RowBands.of(23, 10, 0));
        assertEquals(7, RowBands.of(7, 5000, 0).size(), "at least one row per band");
        assertEquals(3, RowBands.of(23, 200, 500).size(), "a band holds at least 4x the weights: 10 rows");
    }

    @Test
    void rejectsANonPositiveBandSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RowBands.setBandBytes(0));
        assertTrue(e.getMessage().contains("band size"), e.getMessage());
    }
}
