package io.github.unet4j.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private static final double TOL = 1e-15;

    @Test
    void constant() {
        LearningRateSchedule s = LearningRateSchedule.constant();
        assertEquals(0.1, s.rate(0, 0.1));
        assertEquals(0.1, s.rate(1_000_000, 0.1));
    }

    @Test
    void stepDecay() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(10, 0.5);
        assertEquals(0.1, s.rate(0, 0.1), TOL);
        assertEquals(0.1, s.rate(9, 0.1), TOL);
        assertEquals(0.05, s.rate(10, 0.1), TOL);
        assertEquals(0.025, s.rate(25, 0.1), TOL);
    }

    @Test
    void cosine() {
        LearningRateSchedule s = LearningRateSchedule.cosine(100, 0.01);
        assertEquals(0.1, s.rate(0, 0.1), TOL);
        // half-way: 0.01 + 0.09 * (1 + cos(pi/2)) / 2 = 0.055
        assertEquals(0.055, s.rate(50, 0.1), 1e-15);
        // a quarter: 0.01 + 0.09 * (1 + sqrt(2)/2) / 2 = 0.08681980515339464
        assertEquals(0.08681980515339464, s.rate(25, 0.1), 1e-15);
        assertEquals(0.01, s.rate(100, 0.1), TOL);
        assertEquals(0.01, s.rate(500, 0.1), TOL);
    }

    @Test
    void warmup() {
        LearningRateSchedule s = LearningRateSchedule.warmup(4, LearningRateSchedule.constant());
        assertEquals(0.025, s.rate(0, 0.1), TOL);
        assertEquals(0.05, s.rate(1, 0.1), TOL);
        assertEquals(0.1, s.rate(3, 0.1), TOL);
        assertEquals(0.1, s.rate(4, 0.1), TOL);
        // The wrapped schedule starts at its own step 0 when the warm-up ends.
        LearningRateSchedule d = LearningRateSchedule.stepDecay(1, 0.5).withWarmup(2);
        assertEquals(0.05, d.rate(0, 0.1), TOL);
        assertEquals(0.1, d.rate(1, 0.1), TOL);
        assertEquals(0.1, d.rate(2, 0.1), TOL);
        assertEquals(0.05, d.rate(3, 0.1), TOL);
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(10, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(10, 1.5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(10, -1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmup(0, LearningRateSchedule.constant()));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmup(3, null));
    }
}
