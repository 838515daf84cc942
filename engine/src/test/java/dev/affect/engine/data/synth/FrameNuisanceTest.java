package dev.affect.engine.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FrameNuisanceTest {

    @Test
    void blinksAndOcclusionsAreShortAndSensorNoiseHasItsSigma() {
        FrameNuisance n = new FrameNuisance(300, new SplittableRandom(3));
        int[] closed = IntStream.range(0, 300).filter(f -> n.lidClosure(f) > 0).toArray();
        assertTrue(closed.length >= 6 && closed.length <= 300 / 40 * 3 + 3, "blinks of 3 frames every 40-100: " + closed.length);

        BufferedImage grey = new BufferedImage(112, 112, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        java.util.Arrays.fill(px, (byte) 128);
        long occluded = IntStream.range(0, 300).filter(n::occluded).count();
        assertTrue(occluded >= 3 && occluded < 60, "a few short occlusions: " + occluded + " frames");
        int frame = IntStream.range(0, 300).filter(f -> !n.occluded(f)).findFirst().orElseThrow();
        n.apply(grey, frame);
        double mean = 0;
        for (byte b : px) {
            mean += b & 0xFF;
        }
        mean /= px.length;
        double var = 0;
        for (byte b : px) {
            var += ((b & 0xFF) - mean) * ((b & 0xFF) - mean);
        }
        double sigma = Math.sqrt(var / px.length);
        assertEquals(FrameNuisance.NOISE_SIGMA, sigma, 1.0, "per-pixel noise");
        assertEquals(128, mean, 128 * 4 * FrameNuisance.GAIN_SIGMA, "exposure stays near the frame's");
    }
}
