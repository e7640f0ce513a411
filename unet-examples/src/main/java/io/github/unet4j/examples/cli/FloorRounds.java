package io.github.unet4j.examples.cli;

import java.util.ArrayList;
import java.util.List;

/** The bench's floor part: each convolution of a network timed alone, in each round. */
final class FloorRounds {
    final ConvFloor.Passes passes;
    final int repeats;
    final double[][] siteForward;
    final double[][] siteBackward;

    FloorRounds(ConvFloor.Passes passes, int sites, int rounds, int repeats) {
        this.passes = passes;
        this.repeats = repeats;
        siteForward = new double[sites][rounds];
        siteBackward = new double[sites][rounds];
    }

    void time(List<ConvFloor.Site> sites, int round, Runnable beforeEach) {
        for (int i = 0; i < sites.size(); i++) {
            ConvFloor.Timing t = ConvFloor.time(sites.get(i), passes, repeats, BenchSession.SEED, beforeEach);
            siteForward[i][round] = t.forward();
            siteBackward[i][round] = t.backward();
        }
    }

    /** @return the forward floor of each round: the sum of the convolutions' forward times */
    double[] forward() {
        return sumPerRound(siteForward);
    }

    /** @return the training floor of each round: forward plus backward times (NaN for forward only) */
    double[] train() {
        double[] f = forward();
        double[] b = sumPerRound(siteBackward);
        for (int r = 0; r < f.length; r++) {
            f[r] += b[r];
        }
        return f;
    }

    private static double[] sumPerRound(double[][] perSite) {
        double[] sum = new double[perSite.length == 0 ? 0 : perSite[0].length];
        for (double[] site : perSite) {
            for (int r = 0; r < sum.length; r++) {
                sum[r] += site[r];
            }
        }
        return sum;
    }

    /** @return each convolution's median times over rounds */
    List<ConvFloor.Timing> perSite(List<ConvFloor.Site> sites) {
        List<ConvFloor.Timing> convs = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            convs.add(new ConvFloor.Timing(sites.get(i), Stopwatch.median(siteForward[i]),
                    Stopwatch.median(siteBackward[i])));
        }
        return convs;
    }
}
