package io.github.unet4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.ImageIo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The touching-cells generator: seeded, with cells that touch, and the bundled set is what it makes. */
class TouchingCellsTest {

    @Test
    void sameSeedSameImagesAndCellsTouch() {
        TouchingCells.Picture a = TouchingCells.generate(96, 5, 2);
        assertEquals(a.image(), TouchingCells.generate(96, 5, 2).image());
        assertEquals(a.instances(), TouchingCells.generate(96, 5, 2).instances());
        assertNotEquals(a.image(), TouchingCells.generate(96, 5, 3).image());
        assertEquals(BitDepth.EIGHT, a.image().depth());
        int[] ids = a.instances().toIntArray();
        long touching = 0;
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x + 1 < 96; x++) {
                int p = ids[y * 96 + x];
                int q = ids[y * 96 + x + 1];
                touching += p != 0 && q != 0 && p != q ? 1 : 0;
            }
        }
        assertTrue(touching > 20, touching + " pixel pairs where two cells meet");
        assertTrue(java.util.Arrays.stream(ids).distinct().count() > 5);
    }

    @Test
    void theBundledSetIsTheGeneratorsDefaultOutput(@TempDir Path dir) throws Exception {
        Path bundled = Path.of(System.getProperty("user.dir")).getParent().resolve("data/touching-cells");
        TouchingCells.main(new String[] {dir.toString()});
        for (String f : new String[] {"train/image/00.png", "train/label/23.png", "test/image/24.png",
            "test/label/29.png"}) {
            assertEquals(ImageIo.read(bundled.resolve(f)), ImageIo.read(dir.resolve(f)), f);
        }
    }
}
