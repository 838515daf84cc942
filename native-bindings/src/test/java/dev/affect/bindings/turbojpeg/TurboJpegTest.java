package dev.affect.bindings.turbojpeg;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Decoding through libturbojpeg; skipped with the loader's reason where the library is absent. */
class TurboJpegTest {
    /**
     * ImageIO's JPEG reader is the JDK's IJG libjpeg 6b: the same accurate integer IDCT, fancy
     * upsampling and YCbCr tables as libjpeg-turbo, so the two agree exactly (measured 0); the bound
     * leaves room for rounding, not for a different algorithm.
     */
    private static final int MAX_DIFF_FROM_IMAGEIO = 1;

    @BeforeEach
    void needsLibturbojpeg() {
        assumeTrue(TurboJpeg.isAvailable(), () -> "libturbojpeg not available (install Debian's libturbojpeg0): "
                + TurboJpeg.unavailableReason().orElse(""));
    }

    @Test
    void loadsOnceFromARealFile() {
        var lib = TurboJpeg.load();
        assertTrue(Files.isRegularFile(lib.path()), lib.toString());
        assertSame(lib, TurboJpeg.load());
    }

    @Test
    void decodesAnImageIoJpegToTheSameSizeAndPixels() throws IOException {
        // odd sizes exercise partial MCUs; 4:2:0 subsampling is ImageIO's default for colour
        BufferedImage image = gradient(37, 23);
        byte[] jpeg = jpeg(image);

        DecodedJpeg decoded;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, jpeg);
            JpegHeader header = TurboJpeg.readHeader(data, jpeg.length);
            assertEquals(37, header.width());
            assertEquals(23, header.height());
            assertEquals(JpegColorspace.YCBCR, header.colorspace());
            decoded = TurboJpeg.decodeRgb(data, jpeg.length);
        }
        assertEquals(37, decoded.width());
        assertEquals(23, decoded.height());
        assertNull(decoded.warning());

        BufferedImage reference = ImageIO.read(new ByteArrayInputStream(jpeg));
        int max = 0;
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                int rgb = reference.getRGB(x, y); // TYPE_3BYTE_BGR: no colour management involved
                int o = (y * 37 + x) * 3;
                max = Math.max(max, Math.abs(((rgb >> 16) & 0xff) - (decoded.rgb()[o] & 0xff)));
                max = Math.max(max, Math.abs(((rgb >> 8) & 0xff) - (decoded.rgb()[o + 1] & 0xff)));
                max = Math.max(max, Math.abs((rgb & 0xff) - (decoded.rgb()[o + 2] & 0xff)));
            }
        }
        System.out.printf("TurboJpeg vs ImageIO on a 37x23 gradient: max |diff| %d%n", max);
        assertTrue(max <= MAX_DIFF_FROM_IMAGEIO, "max |diff| " + max);
    }

    @Test
    void greyIsReplicatedToRgb() throws IOException {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        Arrays.fill(((DataBufferByte) grey.getRaster().getDataBuffer()).getData(), (byte) 77);
        byte[] jpeg = jpeg(grey);
        assertEquals(JpegColorspace.GRAY, TurboJpeg.readHeader(jpeg).colorspace());
        DecodedJpeg decoded = TurboJpeg.decodeRgb(jpeg, w -> false);
        for (byte b : decoded.rgb()) {
            assertEquals(77, b & 0xff, 1);
        }
    }

    @Test
    void notAJpegNamesTheFunctionAndLibjpegsText() {
        byte[] text = "hello, not a JPEG".getBytes(StandardCharsets.US_ASCII);
        var e = assertThrows(TurboJpegException.class, () -> TurboJpeg.decodeRgb(text, w -> true));
        assertEquals("tjDecompressHeader3", e.function());
        assertEquals("libjpeg-turbo", e.library());
        assertTrue(e.statusText().startsWith("Not a JPEG file"), e.statusText());
        assertTrue(e.getMessage().contains("tjDecompressHeader3") && e.getMessage().contains("Not a JPEG file"), e.getMessage());
        assertTrue(!e.isWarning());

        // SOI alone: TurboJPEG 2.1 takes it for a tables-only stream and returns 0 without a size.
        byte[] soi = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
        var none = assertThrows(TurboJpegException.class, () -> TurboJpeg.readHeader(soi));
        assertEquals("tjDecompressHeader3", none.function());
        assertTrue(none.statusText().startsWith("no image"), none.statusText());
    }

    @Test
    void corruptJpegIsAFatalError() throws IOException {
        byte[] jpeg = jpeg(gradient(64, 64));
        // Wreck the quantisation table's length field: libjpeg cannot parse past it.
        int dqt = indexOf(jpeg, (byte) 0xff, (byte) 0xdb);
        jpeg[dqt + 2] = 0;
        jpeg[dqt + 3] = 1;
        var e = assertThrows(TurboJpegException.class, () -> TurboJpeg.decodeRgb(jpeg, w -> true));
        System.out.println("corrupt DQT: " + e.getMessage());
        assertTrue(e.function().startsWith("tjDecompress"), e.function());
        assertTrue(!e.isWarning(), e.getMessage());
        assertTrue(e.getMessage().contains(e.function()) && e.getMessage().contains(e.statusText()), e.getMessage());
    }

    @Test
    void truncationIsAWarningThatFailsUnlessTolerated() throws IOException {
        byte[] full = jpeg(gradient(64, 64));
        byte[] half = Arrays.copyOf(full, full.length / 2);

        var e = assertThrows(TurboJpegException.class, () -> TurboJpeg.decodeRgb(half, w -> false));
        assertEquals("tjDecompress2", e.function());
        assertTrue(e.isWarning());
        assertEquals("Premature end of JPEG file", e.statusText());

        DecodedJpeg patched = TurboJpeg.decodeRgb(half, w -> w.startsWith("Premature end"));
        assertEquals("Premature end of JPEG file", patched.warning());
        assertEquals(64 * 64 * 3, patched.rgb().length);
    }

    @Test
    void toleratedWarningIsDecodedPast() throws IOException {
        byte[] clean = jpeg(gradient(40, 30));
        byte[] stray = withStrayBytesBefore(clean, (byte) 0xc4); // harmless: libjpeg skips them with a warning

        var strict = assertThrows(TurboJpegException.class, () -> TurboJpeg.decodeRgb(stray, w -> false));
        assertTrue(strict.isWarning());
        assertEquals("Corrupt JPEG data: 3 extraneous bytes before marker 0xc4", strict.statusText());

        DecodedJpeg decoded = TurboJpeg.decodeRgb(stray, w -> w.contains("extraneous bytes"));
        assertEquals(strict.statusText(), decoded.warning());
        assertTrue(Arrays.equals(TurboJpeg.decodeRgb(clean, w -> false).rgb(), decoded.rgb()), "same pixels as the clean file");
    }

    @Test
    void fatalErrorAfterAToleratedWarningStillFails() throws IOException {
        byte[] jpeg = withStrayBytesBefore(progressiveJpeg(gradient(40, 30)), (byte) 0xc4);
        // Break a Huffman table segment between two scans: the headers up to the first scan parse, the
        // decoder hits a fatal "Bogus marker length" after libjpeg already warned about the stray bytes.
        int laterTable = indexOf(jpeg, indexOf(jpeg, (byte) 0xff, (byte) 0xda) + 2, (byte) 0xff, (byte) 0xc4);
        jpeg[laterTable + 2] = 0;
        jpeg[laterTable + 3] = 1;

        var e = assertThrows(TurboJpegException.class, () -> TurboJpeg.decodeRgb(jpeg, w -> w.contains("extraneous bytes")));
        System.out.println("warning then fatal: " + e.getMessage());
        assertEquals("tjDecompress2", e.function());
        assertTrue(!e.isWarning(), e.getMessage());
        assertEquals("Bogus marker length", e.statusText());
    }

    @Test
    void heapSegmentsAndBadSizesAreRefused() throws IOException {
        byte[] jpeg = jpeg(gradient(8, 8));
        assertThrows(IllegalArgumentException.class, () -> TurboJpeg.decodeRgb(MemorySegment.ofArray(jpeg), jpeg.length));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, jpeg);
            assertThrows(IllegalArgumentException.class, () -> TurboJpeg.decodeRgb(data, jpeg.length + 1L));
            assertThrows(IllegalArgumentException.class, () -> TurboJpeg.readHeader(data, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> TurboJpeg.readHeader(new byte[0]));
    }

    static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | ((x * y) & 0xff));
            }
        }
        return image;
    }

    static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "jpeg", out), "no JPEG writer");
        return out.toByteArray();
    }

    static byte[] progressiveJpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] withStrayBytesBefore(byte[] jpeg, byte marker) {
        int at = indexOf(jpeg, (byte) 0xff, marker);
        byte[] out = new byte[jpeg.length + 3];
        System.arraycopy(jpeg, 0, out, 0, at);
        System.arraycopy(jpeg, at, out, at + 3, jpeg.length - at);
        return out; // three zero bytes before the marker
    }

    private static int indexOf(byte[] data, byte a, byte b) {
        return indexOf(data, 0, a, b);
    }

    private static int indexOf(byte[] data, int from, byte a, byte b) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == a && data[i + 1] == b) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }
}
