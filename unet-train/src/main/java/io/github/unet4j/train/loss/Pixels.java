package io.github.unet4j.train.loss;

import java.util.Arrays;
import java.util.OptionalInt;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The validated inputs of a per-pixel loss, in the data type of the logits.
 *
 * @param target {@code [N, H, W]} targets with ignored pixels set to 0 (their weight is 0, so
 *               the value only has to be a harmless valid one)
 * @param weight {@code [N, 1, H, W]} effective per-pixel weight: the given weight (or 1) times
 *               0 where the pixel carries the ignore label; shaped to broadcast over classes
 * @param count  the number of pixels not carrying the ignore label
 */
record Pixels(INDArray target, INDArray weight, double count) {

    /** What the target holds. */
    enum TargetKind {
        /** Integer class ids {@code 0..K-1}. */
        CLASS_IDS,
        /** Foreground values in {@code [0, 1]} for a single sigmoid channel. */
        UNIT_INTERVAL
    }

    /**
     * Validates logits, target and weights and builds the per-pixel tensors.
     *
     * @param loss    name of the loss, for messages
     * @param logits  {@code [N, K, H, W]}, FLOAT or DOUBLE
     * @param target  {@code [N, H, W]}
     * @param weights {@code [N, H, W]} or null
     * @param ignore  label whose pixels are left out
     * @param kind    what the target must hold
     * @return the validated pixels
     */
    static Pixels of(String loss, INDArray logits, INDArray target, INDArray weights, OptionalInt ignore,
            TargetKind kind) {
        requireLogits(loss, logits);
        long[] s = logits.shape();
        long[] expected = {s[0], s[2], s[3]};
        requireShape(loss, "target", target, expected, s);
        if (weights != null) {
            requireShape(loss, "weights", weights, expected, s);
        }
        DataType dtype = logits.dataType();

        INDArray t = target.castTo(DataType.DOUBLE);
        // Any NaN or infinity makes the sum non-finite; class ids are small, so the sum cannot overflow.
        if (!Double.isFinite(t.sumNumber().doubleValue())) {
            throw new IllegalArgumentException(loss + ": target contains NaN or infinite values");
        }
        INDArray valid = ignore.isPresent()
                ? t.neq(ignore.getAsInt()).castTo(DataType.DOUBLE)
                : Nd4j.ones(DataType.DOUBLE, t.shape());
        INDArray clean = t.mul(valid);
        String ignoreText = ignore.isPresent() ? "ignore label " + ignore.getAsInt() : "no ignore label";
        if (kind == TargetKind.CLASS_IDS) {
            long k = s[1];
            INDArray frac = Transforms.abs(clean.sub(Transforms.round(clean, true)), false);
            if (frac.maxNumber().doubleValue() > 0) {
                long at = frac.reshape(-1).argMax().getLong(0);
                throw new IllegalArgumentException(loss + ": target holds the non-integer class id "
                        + clean.reshape(-1).getDouble(at) + " at " + where(at, s) + "; class ids are integers 0.."
                        + (k - 1) + " (" + ignoreText + ")");
            }
            rangeCheck(loss, clean, s, 0, k - 1, "class id", "; the logits have K = " + k + " classes (valid ids 0.."
                    + (k - 1) + ", " + ignoreText + ")");
        } else {
            rangeCheck(loss, clean, s, 0, 1, "value", "; a one-channel target holds foreground values in [0, 1] ("
                    + ignoreText + ")");
        }

        INDArray w = valid;
        if (weights != null) {
            INDArray wd = weights.castTo(DataType.DOUBLE);
            double sum = wd.sumNumber().doubleValue();
            if (!Double.isFinite(sum)) {
                throw new IllegalArgumentException(loss + ": weights contain NaN or infinite values (sum " + sum + ")");
            }
            double min = wd.minNumber().doubleValue();
            if (min < 0) {
                long at = wd.neg().reshape(-1).argMax().getLong(0);
                throw new IllegalArgumentException(loss + ": weights must be >= 0, found " + min + " at " + where(at, s));
            }
            w = wd.mul(valid);
        }
        double count = valid.sumNumber().doubleValue();
        return new Pixels(clean.castTo(dtype), w.castTo(dtype).reshape(s[0], 1, s[2], s[3]), count);
    }

    /**
     * Checks that logits are a non-empty rank-4 FLOAT or DOUBLE array.
     *
     * @param loss   name of the loss, for messages
     * @param logits the logits
     */
    static void requireLogits(String loss, INDArray logits) {
        if (logits == null) {
            throw new IllegalArgumentException(loss + ": logits must not be null");
        }
        if (logits.rank() != 4) {
            throw new IllegalArgumentException(loss + ": logits have shape " + Arrays.toString(logits.shape())
                    + ", expected rank 4 [N, K, H, W]");
        }
        if (logits.dataType() != DataType.FLOAT && logits.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(loss + ": logits have data type " + logits.dataType()
                    + ", expected FLOAT or DOUBLE");
        }
        if (logits.length() == 0) {
            throw new IllegalArgumentException(loss + ": logits have shape " + Arrays.toString(logits.shape())
                    + " with no elements");
        }
    }

    private static void requireShape(String loss, String what, INDArray a, long[] expected, long[] logitShape) {
        if (a == null) {
            throw new IllegalArgumentException(loss + ": " + what + " must not be null");
        }
        if (!Arrays.equals(a.shape(), expected)) {
            throw new IllegalArgumentException(loss + ": " + what + " has shape " + Arrays.toString(a.shape())
                    + ", expected [N, H, W] = " + Arrays.toString(expected) + " to match logits "
                    + Arrays.toString(logitShape));
        }
        if (!a.dataType().isNumerical() && a.dataType() != DataType.BOOL) {
            throw new IllegalArgumentException(loss + ": " + what + " has data type " + a.dataType()
                    + ", expected a numeric type");
        }
    }

    private static void rangeCheck(String loss, INDArray clean, long[] s, double lo, double hi, String noun,
            String tail) {
        double max = clean.maxNumber().doubleValue();
        if (max > hi) {
            long at = clean.reshape(-1).argMax().getLong(0);
            throw new IllegalArgumentException(loss + ": target holds " + noun + " " + format(max) + " at "
                    + where(at, s) + tail);
        }
        double min = clean.minNumber().doubleValue();
        if (min < lo) {
            long at = clean.neg().reshape(-1).argMax().getLong(0);
            throw new IllegalArgumentException(loss + ": target holds " + noun + " " + format(min) + " at "
                    + where(at, s) + tail);
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Turns a flat index into an {@code [N, H, W]} array into a readable position. */
    private static String where(long flat, long[] logitShape) {
        long h = logitShape[2];
        long w = logitShape[3];
        return "(n=" + flat / (h * w) + ", y=" + (flat / w) % h + ", x=" + flat % w + ")";
    }
}
