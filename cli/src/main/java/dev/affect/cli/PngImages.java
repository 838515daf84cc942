package dev.affect.cli;

import dev.affect.engine.image.RgbImage;
import dev.affect.engine.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** RGB images to 8-bit PNG files (lossless, so a crop reads back pixel for pixel), written atomically. */
final class PngImages {
    private PngImages() {
    }

    /** A copy of {@code image} as a 3-byte BGR {@link BufferedImage}, ready to draw on or encode. */
    static BufferedImage toBuffered(RgbImage image) {
        BufferedImage b = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return b;
    }

    static void write(Path file, RgbImage image) throws IOException {
        write(file, toBuffered(image));
    }

    static void write(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) {
            throw new IllegalStateException("no PNG writer in this JVM (javax.imageio)");
        }
        AtomicFiles.write(file, png.toByteArray());
    }
}
