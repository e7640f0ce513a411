package io.github.unet4j.train.weightmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectedComponentsTest {

    /** Parses rows of '#' (foreground) and '.' (background). */
    static boolean[] image(String... rows) {
        int width = rows[0].length();
        boolean[] fg = new boolean[width * rows.length];
        for (int y = 0; y < rows.length; y++) {
            assertEquals(width, rows[y].length(), "row " + y);
            for (int x = 0; x < width; x++) {
                fg[y * width + x] = rows[y].charAt(x) == '#';
            }
        }
        return fg;
    }

    @Test
    void countsBlobsOnAHandBuiltImage() {
        boolean[] fg = image(
                "##....#",
                "##..###",
                ".......",
                "#.####.",
                "#....#.");
        Components c = ConnectedComponents.label(fg, 7, 5);
        assertEquals(4, c.count());
        // Numbered in raster order of the first pixel.
        assertEquals(1, c.labelAt(0, 0));
        assertEquals(1, c.labelAt(1, 1));
        assertEquals(2, c.labelAt(6, 0));
        assertEquals(2, c.labelAt(4, 1));
        assertEquals(3, c.labelAt(0, 3));
        assertEquals(4, c.labelAt(2, 3));
        assertEquals(4, c.labelAt(5, 4));
        assertEquals(0, c.labelAt(2, 0));
    }

    @Test
    void diagonalContactJoinsOnlyWithEightConnectivity() {
        boolean[] fg = image(
                "#...",
                ".#..",
                "..#.",
                "....");
        Components four = ConnectedComponents.label(fg, 4, 4, Connectivity.FOUR);
        Components eight = ConnectedComponents.label(fg, 4, 4, Connectivity.EIGHT);
        assertEquals(3, four.count());
        assertNotEquals(four.labelAt(0, 0), four.labelAt(1, 1));
        assertEquals(1, eight.count());
        assertEquals(eight.labelAt(0, 0), eight.labelAt(2, 2));
    }

    @Test
    void emptyAndFullImages() {
        assertEquals(0, ConnectedComponents.label(new boolean[12], 4, 3).count());
        boolean[] full = new boolean[12];
        java.util.Arrays.fill(full, true);
        Components c = ConnectedComponents.label(full, 4, 3);
        assertEquals(1, c.count());
        for (int label : c.labels()) {
            assertEquals(1, label);
        }
    }

    @Test
    void longSerpentineOn512x512DoesNotOverflowTheStack() {
        int size = 512;
        boolean[] fg = new boolean[size * size];
        // Every even row is foreground; odd rows connect alternately at the right and left end,
        // making one path of about 131k pixels that a recursive flood fill could not survive.
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean link = (y % 4 == 1 && x == size - 1) || (y % 4 == 3 && x == 0);
                fg[y * size + x] = y % 2 == 0 || link;
            }
        }
        Components c = ConnectedComponents.label(fg, size, size, Connectivity.FOUR);
        assertEquals(1, c.count());
        assertEquals(1, c.labelAt(0, size - 2));
    }

    @Test
    void labelsAreDefensiveCopies() {
        Components c = ConnectedComponents.label(image("#.#"), 3, 1);
        c.labels()[0] = 99;
        assertEquals(1, c.labelAt(0, 0));
    }

    @Test
    void rejectsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectedComponents.label(new boolean[5], 2, 3));
        assertTrue(e.getMessage().contains("foreground") && e.getMessage().contains("length 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConnectedComponents.label(new boolean[0], 2, -1));
        assertTrue(e.getMessage().contains("height"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConnectedComponents.label(new boolean[4], 2, 2, null));
        assertTrue(e.getMessage().contains("connectivity"), e.getMessage());
    }
}
