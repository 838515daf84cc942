package dev.affect.engine.model.retinaface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.RgbImage;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * face_align_v2.0.py's pre-processing: the resize factor rule, and the resized, mean-subtracted
 * astronaut (512 -> 320, OpenCV INTER_LINEAR on floats) against their astronaut_input.npy.
 */
class RetinaFacePreprocessingTest {

    @Test
    void resizeFactorRule() {
        assertEquals(1.0, Preprocessing.resizeFactor(240, 320, 320, 320)); // 320/240 would make 427 > 320
        assertEquals(0.625, Preprocessing.resizeFactor(512, 512, 320, 320));
        assertEquals(320.0 / 640, Preprocessing.resizeFactor(480, 640, 320, 320));
        assertEquals(320.0, Preprocessing.resizeFactor(1, 1, 320, 320)); // 1x1 -> 320x320
        double wide = Preprocessing.resizeFactor(10, 10000, 320, 320);
        assertEquals(320.0 / 10000, wide);
        assertEquals(320, Preprocessing.resizedSide(10000, wide));
        assertEquals(1, Preprocessing.resizedSide(10, wide)); // OpenCV would round to 0 and refuse
    }

    @Test
    void astronautInputMatchesOpenCv() throws IOException {
        RgbImage img = ImageDecoder.imageIo().decode(RetinaFixtures.file("real/astronaut.png"));
        assertEquals(512, img.width());
        Preprocessing.Prepared p = Preprocessing.prepare(img.pixels(), img.width(), img.height(), 3, DetectionConfig.defaults(),
                Preprocessing.Layout.CHW);
        assertEquals(320, p.height());
        assertEquals(320, p.width());
        assertEquals(320, p.paddedHeight());
        assertEquals(0.625, p.resize());
        double max = RetinaFixtures.expectClose(p.values(), RetinaFixtures.floats("real/astronaut_input.npy"), 1e-3, 0,
                "astronaut preprocessing");
        assertTrue(max < 1e-3);
    }

    @Test
    void paddingIsZeroBelowAndRightOfTheImage() throws IOException {
        // the 320x240 scene needs no resize; its 240 rows pad to 256 with zeros after mean subtraction
        RgbImage img = ImageDecoder.imageIo().decode(RetinaFixtures.file("scene.png"));
        Preprocessing.Prepared p = Preprocessing.prepare(img.pixels(), img.width(), img.height(), 3, DetectionConfig.defaults(),
                Preprocessing.Layout.CHW);
        assertEquals(240, p.height());
        assertEquals(256, p.paddedHeight());
        assertEquals(320, p.paddedWidth());
        float[] expected = RetinaFixtures.floats("scene_input.npy");
        float[] chw = p.values();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 320; x++) {
                    float got = chw[(c * 256 + y) * 320 + x];
                    assertEquals(y < 240 ? expected[(c * 240 + y) * 320 + x] : 0f, got, "c" + c + " y" + y + " x" + x);
                }
            }
        }
    }

    /** A reused input array (a wider image's frame before) gives exactly a fresh array's values, padding zeroed, in both layouts. */
    @Test
    void aReusedArrayEqualsAFreshOne() {
        java.util.Random rng = new java.util.Random(5);
        byte[] wide = new byte[300 * 230 * 3];
        byte[] narrow = new byte[290 * 225 * 3];
        rng.nextBytes(wide);
        rng.nextBytes(narrow);
        DetectionConfig cfg = DetectionConfig.defaults();
        for (Preprocessing.Layout layout : Preprocessing.Layout.values()) {
            Preprocessing.Prepared first = Preprocessing.prepare(narrow, 290, 225, 3, cfg, layout);
            Preprocessing.Prepared fresh = Preprocessing.prepare(wide, 300, 230, 3, cfg, layout);
            assertEquals(first.values().length, fresh.values().length, "both in the same bucket");
            assertTrue(first.height() != fresh.height() || first.width() != fresh.width(), "different real sizes");
            Preprocessing.Prepared reused = Preprocessing.prepare(wide, 300, 230, 3, cfg, layout, first.values());
            assertTrue(reused.values() == first.values(), "the array is reused");
            assertTrue(java.util.Arrays.equals(fresh.values(), reused.values()), layout + ": reused differs from fresh");
            Preprocessing.Prepared back = Preprocessing.prepare(narrow, 290, 225, 3, cfg, layout, reused.values());
            assertTrue(java.util.Arrays.equals(Preprocessing.prepare(narrow, 290, 225, 3, cfg, layout).values(), back.values()),
                    layout + ": the wider image's values were left in the padding");
        }
    }
}
