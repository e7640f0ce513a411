package io.github.unet4j.train.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class CellSegmentsTest {
    @Test
    void fourConnectivityKeepsDiagonalNeighboursApart() {
        LabelImage img = new LabelImage(4, 3, new int[] {
            9, 0, 0, 1,
            0, 5, 0, 1,
            0, 5, 5, 0});
        assertArrayEquals(new int[] {
            1, 0, 0, 2,
            0, 3, 0, 2,
            0, 3, 3, 0}, CellSegments.label(img, MembraneLabel.ZERO).labels());
        // With the other convention the zeros are the cells; (0,1) touches (1,0) only at a
        // corner, so the left column is its own component.
        assertArrayEquals(new int[] {
            0, 1, 1, 0,
            2, 0, 1, 0,
            2, 0, 0, 3}, CellSegments.label(img, MembraneLabel.NONZERO).labels());
    }

    @Test
    void spiralIsOneComponent() {
        // Exercises the queue across rows in both directions.
        LabelImage img = new LabelImage(5, 5, new int[] {
            1, 1, 1, 1, 1,
            0, 0, 0, 0, 1,
            1, 1, 1, 0, 1,
            1, 0, 0, 0, 1,
            1, 1, 1, 1, 1});
        int[] out = CellSegments.label(img, MembraneLabel.ZERO).labels();
        for (int i = 0; i < out.length; i++) {
            assertArrayEquals(new int[] {img.labels()[i] == 0 ? 0 : 1}, new int[] {out[i]}, "pixel " + i);
        }
    }
}
