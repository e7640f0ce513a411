package io.github.unet4j.train.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Array maths shared by the losses; every function works along the class axis 1 of NCHW. */
final class LossMath {
    private LossMath() {
    }

    /**
     * One-hot encoding along a new axis 1.
     *
     * @param target {@code [N, H, W]} integer-valued class ids in {@code 0..k-1}
     * @param k      number of classes
     * @param dtype  data type of the result
     * @return {@code [N, k, H, W]}, 1 where the class matches, else 0
     */
    static INDArray oneHot(INDArray target, int k, DataType dtype) {
        long[] s = target.shape();
        INDArray out = Nd4j.create(dtype, s[0], k, s[1], s[2]);
        // One comparison per class (K is small), not a loop over pixels.
        for (int c = 0; c < k; c++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(target.eq(c).castTo(dtype));
        }
        return out;
    }

    /**
     * Sums in double precision, so a large float tile does not lose the small terms.
     *
     * @param a any array
     * @return the sum of its elements
     */
    static double sum(INDArray a) {
        return a.castTo(DataType.DOUBLE).sumNumber().doubleValue();
    }

    /**
     * The divisor of a reduction.
     *
     * @param reduction SUM or MEAN
     * @param count     number of counted pixels
     * @return 1 for SUM; {@code count} for MEAN, or 1 when no pixel is counted (loss and
     *         gradient are then 0 rather than NaN)
     */
    static double normaliser(Reduction reduction, double count) {
        return reduction == Reduction.SUM || count == 0 ? 1.0 : count;
    }
}
