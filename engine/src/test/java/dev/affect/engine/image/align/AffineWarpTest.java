package dev.affect.engine.image.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AffineWarpTest {

    @Test
    void storedMatricesGiveTheOpenCvCropsBitExactly() {
        RgbImage scene = AlignFixtures.image("scene.png");
        assertEquals(320, scene.width());
        assertEquals(240, scene.height());
        for (int k = 0; k < 3; k++) {
            RgbImage expected = AlignFixtures.rgbNpy("align_" + k + ".npy");
            RgbImage crop = AffineWarp.warp(scene, AlignFixtures.matrix(k), 112, 112);
            assertArrayEquals(expected.pixels(), crop.pixels(), "crop " + k + " differs: max "
                    + AlignFixtures.maxDiff(expected, crop));
        }
    }

    @Test
    void borderFillIsBlack() {
        // Set 2 leaves the image at the top right: its crop has black fill, and so must ours.
        RgbImage crop = AffineWarp.warp(AlignFixtures.image("scene.png"), AlignFixtures.matrix(2), 112, 112);
        int black = 0;
        for (int i = 0; i < crop.pixels().length; i += 3) {
            black += crop.pixels()[i] == 0 && crop.pixels()[i + 1] == 0 && crop.pixels()[i + 2] == 0 ? 1 : 0;
        }
        assertTrue(black > 100, "expected border fill, got " + black + " black pixels");
    }

    @Test
    void integerTranslationCopiesAndFillsWithZero() {
        RgbImage image = random(9, 7, 1);
        RgbImage out = AffineWarp.warp(image, new AffineMatrix(1, 0, 2, 0, 1, -1), 12, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 12; x++) {
                int sx = x - 2;
                int sy = y + 1;
                for (int c = 0; c < 3; c++) {
                    int expected = sx >= 0 && sx < 9 && sy >= 0 && sy < 7 ? image.get(sx, sy, c) : 0;
                    assertEquals(expected, out.get(x, y, c), "(" + x + "," + y + "," + c + ")");
                }
            }
        }
    }

    @Test
    void halfPixelShiftAveragesNeighboursWithFixedPointRounding() {
        // Destination x maps to source x + 0.5: fraction 16/32, weights 16384 each, (a+b)*16384+16384 >> 15.
        RgbImage image = random(6, 3, 2);
        RgbImage out = AffineWarp.warp(image, new AffineMatrix(1, 0, -0.5, 0, 1, 0), 6, 3);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 6; x++) {
                for (int c = 0; c < 3; c++) {
                    int a = image.get(x, y, c);
                    int b = x + 1 < 6 ? image.get(x + 1, y, c) : 0; // the outside neighbour counts as 0
                    assertEquals((a * 16384 + b * 16384 + 16384) >> 15, out.get(x, y, c));
                }
            }
        }
    }

    @Test
    void cvRoundIsHalfToEven() {
        assertEquals(2, AffineWarp.cvRound(2.5));
        assertEquals(4, AffineWarp.cvRound(3.5));
        assertEquals(-2, AffineWarp.cvRound(-2.5));
        assertEquals(Integer.MIN_VALUE, AffineWarp.cvRound(1e12));
    }

    @Test
    void badMatricesAreRejected() {
        RgbImage image = random(4, 4, 3);
        assertEquals("matrix", assertThrows(InvalidInputException.class,
                () -> AffineWarp.warp(image, new AffineMatrix(1, 0, Double.NaN, 0, 1, 0), 4, 4)).field());
        assertEquals("matrix", assertThrows(InvalidInputException.class,
                () -> AffineWarp.warp(image, new AffineMatrix(1, 2, 0, 2, 4, 0), 4, 4)).field());
        assertThrows(IllegalArgumentException.class, () -> AffineWarp.warp(image, new AffineMatrix(1, 0, 0, 0, 1, 0), 0, 4));
    }

    @Test
    void farAwayMappingGivesAnAllBlackCrop() {
        RgbImage out = AffineWarp.warp(random(5, 5, 4), new AffineMatrix(1, 0, 1e6, 0, 1, 1e6), 8, 8);
        for (byte b : out.pixels()) {
            assertEquals(0, b);
        }
    }

    static RgbImage random(int w, int h, long seed) {
        byte[] pixels = new byte[w * h * 3];
        new Random(seed).nextBytes(pixels);
        return new RgbImage(w, h, pixels);
    }
}
