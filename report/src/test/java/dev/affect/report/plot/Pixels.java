package dev.affect.report.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/** What tests ask of a rendered figure's pixels. */
final class Pixels {
    private Pixels() {
    }

    /** The plot's PNG bytes decoded back with ImageIO, checked to have the plot's size. */
    static BufferedImage decodedPng(Plot plot) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(ChartImages.png(plot.image())));
        assertNotNull(image, "the PNG of " + plot.name() + " does not decode");
        assertEquals(plot.width(), image.getWidth());
        assertEquals(plot.height(), image.getHeight());
        return image;
    }

    /** How many pixels of each colour (RGB, alpha dropped) the image holds. */
    static Map<Integer, Integer> histogram(BufferedImage image) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                counts.merge(image.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Whether a colour is a chromatic one (not white, black or a grey of axes and text). */
    static boolean chromatic(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 12;
    }

    /** Pixels that are not (near) white: ink. */
    static long ink(BufferedImage image) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xFF) < 240 || ((rgb >> 8) & 0xFF) < 240 || (rgb & 0xFF) < 240) {
                    n++;
                }
            }
        }
        return n;
    }
}
