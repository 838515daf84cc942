package dev.affect.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PillowResizeTest {

    @Test
    void passthroughFace() {
        assertResizedLikePillow("face_a"); // 112x112: no pass runs
    }

    @Test
    void downscaleBothAxes() {
        assertResizedLikePillow("face_b"); // 200x160 -> 112x112, from Pillow's decoded pixels
    }

    @Test
    void upscaleOneAxisDownscaleTheOther() {
        assertResizedLikePillow("face_c"); // 97x131 -> 112x112
    }

    @Test
    void sameSizeIsIdentity() {
        RgbImage face = random(112, 112, 0);
        assertSame(face, PillowResize.bilinear(face, 112, 112));
        RgbImage odd = random(113, 57, 1);
        assertSame(odd, PillowResize.bilinear(odd, 113, 57));
    }

    @Test
    void unchangedAxisIsLeftExact() {
        // Only the horizontal pass runs; every row must be resampled independently of its neighbours.
        RgbImage image = random(31, 7, 2);
        RgbImage wide = PillowResize.bilinear(image, 50, 7);
        for (int y = 0; y < 7; y++) {
            byte[] row = new byte[31 * 3];
            System.arraycopy(image.pixels(), y * 31 * 3, row, 0, row.length);
            RgbImage single = PillowResize.bilinear(new RgbImage(31, 1, row), 50, 1);
            byte[] expected = new byte[50 * 3];
            System.arraycopy(wide.pixels(), y * 50 * 3, expected, 0, expected.length);
            assertArrayEquals(expected, single.pixels(), "row " + y);
        }
    }

    @Test
    void flatImageStaysFlat() {
        byte[] pixels = new byte[23 * 17 * 3];
        for (int i = 0; i < pixels.length; i += 3) {
            pixels[i] = (byte) 200;
            pixels[i + 1] = 0;
            pixels[i + 2] = (byte) 255;
        }
        RgbImage out = PillowResize.bilinear(new RgbImage(23, 17, pixels), 112, 9);
        for (int i = 0; i < out.pixels().length; i += 3) {
            assertEquals(200, out.pixels()[i] & 0xff);
            assertEquals(0, out.pixels()[i + 1] & 0xff);
            assertEquals(255, out.pixels()[i + 2] & 0xff);
        }
    }

    @Test
    void coefficientsSumToOneInFixedPoint() {
        for (int[] sizes : new int[][] {{200, 112}, {160, 112}, {97, 112}, {131, 112}, {1, 112}, {1000, 3}}) {
            PillowResize.Coefficients k = PillowResize.Coefficients.of(sizes[0], sizes[1]);
            for (int i = 0; i < sizes[1]; i++) {
                long sum = 0;
                for (int j = 0; j < k.count[i]; j++) {
                    sum += k.fixed[i * k.ksize + j];
                }
                // Rounding each of a few taps moves the sum by at most a couple of units.
                assertEquals(1 << PillowResize.PRECISION_BITS, sum, k.count[i], sizes[0] + "->" + sizes[1] + " #" + i);
            }
        }
    }

    @Test
    void rejectsEmptyTarget() {
        RgbImage image = random(4, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PillowResize.bilinear(image, 0, 4));
        assertEquals("target size must be positive, got 0x4", e.getMessage());
    }

    private static void assertResizedLikePillow(String face) {
        RgbImage decoded = Fixtures.npy(face + "_rgb.npy").image();
        RgbImage expected = Fixtures.npy(face + "_resized.npy").image();
        RgbImage resized = PillowResize.bilinear(decoded, 112, 112);
        assertEquals(112, resized.width());
        assertEquals(112, resized.height());
        int mismatches = 0;
        for (int i = 0; i < expected.pixels().length; i++) {
            mismatches += expected.pixels()[i] != resized.pixels()[i] ? 1 : 0;
        }
        assertEquals(0, mismatches, face + ": samples differing from Pillow");
    }

    private static RgbImage random(int width, int height, long seed) {
        byte[] pixels = new byte[width * height * 3];
        new Random(seed).nextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }
}
