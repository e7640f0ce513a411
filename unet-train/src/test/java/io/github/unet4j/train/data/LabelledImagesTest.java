package io.github.unet4j.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet4j.train.io.BitDepth;
import io.github.unet4j.train.io.GrayImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What trains but probably not as meant is reported, one line per case. */
class LabelledImagesTest {

    private static LabelledImages of(int w, int h, int[] classes) {
        return new LabelledImages(List.of("a.png"), List.of(GrayImage.ofInts(w, h, new int[w * h], BitDepth.EIGHT)),
                List.of(classes));
    }

    @Test
    void oneClassLabelsAndTinyImagesAreWarnedAbout() {
        int[] mixed = new int[100];
        mixed[7] = 1;
        assertEquals(List.of(), of(10, 10, mixed).warnings());
        List<String> none = of(10, 10, new int[100]).warnings();
        assertEquals(1, none.size(), none.toString());
        assertTrue(none.get(0).startsWith("label a.png is all membrane (0)"), none.toString());
        int[] ones = new int[100];
        java.util.Arrays.fill(ones, 1);
        assertTrue(of(10, 10, ones).warnings().get(0).startsWith("label a.png is all cell"));
        List<String> tiny = of(1, 1, new int[] {1}).warnings();
        assertEquals(2, tiny.size(), tiny.toString());
        assertEquals("image a.png is only 1x1 pixels", tiny.get(1));
    }
}
