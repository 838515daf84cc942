package dev.affect.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affect.engine.backend.Backends;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Shared fixtures for the face detection commands (read in place; tests skip with the reason where
 * they are absent) and images made at test time that no one should commit: a CMYK JPEG and a PNG
 * declaring (and really holding) a huge image.
 */
final class DetectFixtures {
    private DetectFixtures() {
    }

    /** The released RetinaFace MobileNet-0.25 weights. */
    static Path releasedWeights() {
        return in("retinaface/real", "mobilenet0.25_Final.pth");
    }

    /** fixtures/retinaface/real/&lt;file&gt;: astronaut.png and what the authors' code made of it. */
    static Path retinaReal(String file) {
        return in("retinaface/real", file);
    }

    /** fixtures/real-photos/&lt;file&gt; (aligned/&lt;photo&gt;.png: the authors' crops). */
    static Path photo(String file) {
        return in("real-photos", file);
    }

    /** Skips where the backend cannot run here, saying why. */
    static String backend(String name) {
        var reason = Backends.provider(name).unavailableReason();
        assumeTrue(reason.isEmpty(), () -> name + " backend unavailable here: " + reason.orElse(""));
        return name;
    }

    private static Path in(String folder, String file) {
        Path f = Fixtures.in(folder, file);
        assumeTrue(Files.isRegularFile(f), "fixture missing: " + f.toAbsolutePath().normalize());
        return f;
    }

    /**
     * {@code rgb} as a CMYK JPEG the way Photoshop stores one: an Adobe APP14 marker (transform 0, CMYK
     * as stored) and inverted samples (255 = no ink), here C, M, Y = R, G, B and no black ink, so a
     * decoder that converts as Pillow does gives back {@code rgb} up to JPEG's loss. Written by the
     * JDK's own encoder from a raw 4-band raster; the marker is spliced in after SOI.
     */
    static Path cmykJpeg(Path file, BufferedImage rgb) throws IOException {
        int width = rgb.getWidth();
        int height = rgb.getHeight();
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = rgb.getRGB(x, y);
                r.setPixel(x, y, new int[] {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff, 255});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(r, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        byte[] adobe = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(jpeg, 0, 2); // SOI
            out.write(adobe);
            out.write(jpeg, 2, jpeg.length - 2);
        }
        return file;
    }

    /**
     * A complete, valid 8-bit grey PNG of {@code width x height} black pixels, streamed row by row, so
     * a 10000 x 10000 image costs a few hundred KB here and nothing like 100 MB.
     */
    static Path blackPng(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0}); // bit depth 8, grey, deflate, adaptive filters, no interlace
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            byte[] row = new byte[width + 1]; // filter type 0, then the samples
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        try (OutputStream out = Files.newOutputStream(file); DataOutputStream d = new DataOutputStream(out)) {
            d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            chunk(d, "IHDR", ihdr.toByteArray());
            chunk(d, "IDAT", idat.toByteArray());
            chunk(d, "IEND", new byte[0]);
        }
        return file;
    }

    private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        d.writeInt((int) crc.getValue());
    }
}
