package io.github.unet4j.train.augment;

/**
 * Cardinal weights of the natural cubic spline through equally spaced nodes, used by
 * {@link ElasticDeformation.ControlGrid#interpolate(int, int)}.
 *
 * <p>A spline through values {@code v[0..g-1]} is linear in them, so its value at any position
 * is {@code sum_j W[j] * v[j]}; computing {@code W} once per pixel of an axis makes the 2-D
 * field a cheap tensor product.
 */
final class NaturalCubicSpline {

    private NaturalCubicSpline() {
    }

    /**
     * Weights of {@code g} nodes spread over {@code size} pixels (node {@code i} at
     * {@code i * (size - 1) / (g - 1)}; all at 0 when {@code size == 1}).
     *
     * @param g    nodes, at least 2
     * @param size pixels, at least 1
     * @return row-major {@code size x g}: entry {@code p * g + j} is node {@code j}'s weight at pixel {@code p}
     */
    static double[] weights(int g, int size) {
        double[][] m = secondDerivativeOperator(g);
        double[] out = new double[size * g];
        for (int p = 0; p < size; p++) {
            // Position in node units; exact at nodes when (size - 1) is a multiple of (g - 1).
            double u = size == 1 ? 0 : (double) p * (g - 1) / (size - 1);
            int k = Math.min((int) Math.floor(u), g - 2);
            double s = u - k;
            double t = 1 - s;
            // On segment [k, k+1] with unit spacing:
            // S = t v_k + s v_{k+1} + ((t^3 - t) M_k + (s^3 - s) M_{k+1}) / 6, M = second derivatives.
            double a = (t * t * t - t) / 6;
            double b = (s * s * s - s) / 6;
            int o = p * g;
            for (int j = 0; j < g; j++) {
                out[o + j] = a * m[k][j] + b * m[k + 1][j];
            }
            out[o + k] += t;
            out[o + k + 1] += s;
        }
        return out;
    }

    /**
     * The matrix {@code A} with {@code M = A v}: the second derivatives at the nodes of the
     * natural spline through {@code v}, from {@code M[i-1] + 4 M[i] + M[i+1] = 6 (v[i+1] - 2 v[i] + v[i-1])}
     * for inner nodes and {@code M = 0} at the ends.
     */
    private static double[][] secondDerivativeOperator(int g) {
        double[][] a = new double[g][g];
        int inner = g - 2;
        if (inner == 0) {
            return a; // two nodes: the spline is the straight line
        }
        for (int col = 0; col < g; col++) {
            // Right-hand side for the unit vector e_col at inner nodes 1..g-2.
            double[] rhs = new double[inner];
            for (int i = 1; i <= inner; i++) {
                double e = (i + 1 == col ? 1 : 0) - 2 * (i == col ? 1 : 0) + (i - 1 == col ? 1 : 0);
                rhs[i - 1] = 6 * e;
            }
            double[] sol = solveTridiagonal141(rhs);
            for (int i = 1; i <= inner; i++) {
                a[i][col] = sol[i - 1];
            }
        }
        return a;
    }

    /** Thomas algorithm for the tridiagonal system with 1, 4, 1 on the diagonals. */
    private static double[] solveTridiagonal141(double[] d) {
        int n = d.length;
        double[] c = new double[n];
        double[] x = new double[n];
        double[] dd = d.clone();
        c[0] = 1.0 / 4;
        dd[0] = d[0] / 4;
        for (int i = 1; i < n; i++) {
            double denom = 4 - c[i - 1];
            c[i] = 1 / denom;
            dd[i] = (d[i] - dd[i - 1]) / denom;
        }
        x[n - 1] = dd[n - 1];
        for (int i = n - 2; i >= 0; i--) {
            x[i] = dd[i] - c[i] * x[i + 1];
        }
        return x;
    }
}
