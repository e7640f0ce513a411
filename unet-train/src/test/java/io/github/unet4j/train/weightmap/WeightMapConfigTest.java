package io.github.unet4j.train.weightmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class WeightMapConfigTest {

    private static void assertRejected(Executable build, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }

    @Test
    void paperSettings() {
        WeightMapConfig paper = WeightMapConfig.paper();
        assertEquals(10.0, paper.w0());
        assertEquals(5.0, paper.sigma());
        assertEquals(ClassBalance.INVERSE_FREQUENCY, paper.classBalance());
        assertEquals(Connectivity.FOUR, paper.connectivity());
        assertEquals(3.0, paper.withSigma(3).sigma());
        assertEquals(0.0, paper.withW0(0).w0());
        assertEquals(ClassBalance.NONE, paper.withClassBalance(ClassBalance.NONE).classBalance());
        assertEquals(Connectivity.EIGHT, paper.withConnectivity(Connectivity.EIGHT).connectivity());
    }

    @Test
    void rejectsBadValuesNamingThem() {
        WeightMapConfig p = WeightMapConfig.paper();
        assertRejected(() -> p.withW0(-1), "w0", "-1.0");
        assertRejected(() -> p.withW0(Double.POSITIVE_INFINITY), "w0", "Infinity");
        assertRejected(() -> p.withSigma(0), "sigma", "0.0");
        assertRejected(() -> p.withSigma(Double.NaN), "sigma", "NaN");
        assertRejected(() -> p.withClassBalance(null), "classBalance");
        assertRejected(() -> p.withConnectivity(null), "connectivity");
    }
}
