package dev.affect.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libjpeg-turbo decoder; its JPEG tests skip, with the loader's reason, where libturbojpeg is absent. */
class TurboJpegDecoderTest {
    /**
     * Measured: 0 (bit-identical) on face_b.jpg. Pillow decodes with libjpeg-turbo too, with the same
     * defaults (ISLOW IDCT, fancy upsampling), so only a different libjpeg-turbo release could move a
     * sample, and then by rounding; 1 unit allows that, a different upsampling (10+ at edges) fails.
     */
    static final int MAX_DIFF_FROM_PILLOW = 1;

    private final TurboJpegDecoder decoder = new TurboJpegDecoder();

    /** Skips the calling test, with the loader's reason, where libturbojpeg is absent. */
    private static void needsLibturbojpeg() {
        assumeTrue(TurboJpegDecoder.isAvailable(), () -> "libturbojpeg not available (install Debian's libturbojpeg0): "
                + TurboJpegDecoder.unavailableReason().orElse(""));
    }

    @Test
    void jpegFixtureMatchesPillow() throws IOException {
        needsLibturbojpeg();
        RgbImage decoded = decoder.decode(Fixtures.file("face_b.jpg"));
        RgbImage expected = Fixtures.npy("face_b_rgb.npy").image();
        assertEquals(expected.width(), decoded.width());
        assertEquals(expected.height(), decoded.height());
        int max = 0;
        int differing = 0;
        for (int i = 0; i < decoded.pixels().length; i++) {
            int d = Math.abs((decoded.pixels()[i] & 0xff) - (expected.pixels()[i] & 0xff));
            max = Math.max(max, d);
            differing += d != 0 ? 1 : 0;
        }
        System.out.printf("face_b.jpg libjpeg-turbo vs Pillow: max |diff| %d, %d of %d samples differ%n",
                max, differing, decoded.pixels().length);
        assertTrue(max <= MAX_DIFF_FROM_PILLOW, "max |diff| " + max);
    }

    @Test
    void agreesWithImageIoOnTheFixture() throws IOException {
        needsLibturbojpeg();
        // Both decoders are measured bit-identical to Pillow here, so they must agree with each other.
        Path file = Fixtures.file("face_b.jpg");
        assertEquals(ImageDecoder.imageIo().decode(file), decoder.decode(file));
    }

    @Test
    void pngIsDelegatedToImageIo() throws IOException {
        for (String face : new String[] {"face_a", "face_c"}) {
            RgbImage decoded = decoder.decode(Fixtures.file(face + ".png"));
            assertArrayEquals(Fixtures.npy(face + "_rgb.npy").image().pixels(), decoded.pixels(), face);
        }
    }

    @Test
    void bestPicksLibjpegTurboAndPreprocessingMatchesTheAuthors() throws IOException {
        needsLibturbojpeg();
        assertInstanceOf(TurboJpegDecoder.class, ImageDecoder.best());
        float[] expected = Fixtures.npy("face_b.npy").f32();
        float[] actual = FacePreprocessor.load(Fixtures.file("face_b.jpg")).toFloatArray();
        assertEquals(0, FaceNormalizerTest.maxAbsDiff(expected, actual), MAX_DIFF_FROM_PILLOW / 255.0 / 0.224 + 1e-6);
    }

    @Test
    void bestFallsBackToImageIoExactlyWhenLibjpegTurboIsMissing() {
        assertEquals(TurboJpegDecoder.isAvailable(), ImageDecoder.best() instanceof TurboJpegDecoder);
        assertEquals(TurboJpegDecoder.isAvailable(), TurboJpegDecoder.unavailableReason().isEmpty());
    }

    @Test
    void greyJpegIsReplicated() throws IOException {
        needsLibturbojpeg();
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        Arrays.fill(((java.awt.image.DataBufferByte) grey.getRaster().getDataBuffer()).getData(), (byte) 77);
        RgbImage rgb = decoder.decode(TestImages.encode(grey, "jpeg"), "grey.jpg");
        for (byte b : rgb.pixels()) {
            assertEquals(77, b & 0xff, 1);
        }
        assertEquals(rgb.get(3, 3, 0), rgb.get(3, 3, 2));
    }

    @Test
    void truncatedJpegIsRejected() throws IOException {
        needsLibturbojpeg();
        byte[] full = Files.readAllBytes(Fixtures.file("face_b.jpg"));
        byte[] half = Arrays.copyOf(full, full.length / 2);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(half, "face_b.jpg"));
        assertEquals("face_b.jpg: truncated JPEG image (Premature end of JPEG file)", e.getMessage());
    }

    @Test
    void damagedJpegDataIsRejected() throws IOException {
        needsLibturbojpeg();
        byte[] jpeg = Files.readAllBytes(Fixtures.file("face_b.jpg"));
        // The same damage as ImageIoDecoderTest: libjpeg only warns and would return garbage pixels.
        int scan = TestImages.indexOf(jpeg, new byte[] {(byte) 0xff, (byte) 0xda});
        for (int i = scan + 200; i < scan + 1500; i++) {
            jpeg[i] = (byte) (i * 31);
        }
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(jpeg, "face_b.jpg"));
        System.out.println("damaged scan: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("face_b.jpg: corrupt JPEG image (Corrupt JPEG data"), e.getMessage());
    }

    @Test
    void brokenHeadersAreRejected() {
        needsLibturbojpeg();
        byte[] soi = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
        ImageFormatException header = assertThrows(ImageFormatException.class, () -> decoder.decode(soi, "soi.jpg"));
        System.out.println("header only: " + header.getMessage());
        assertTrue(header.getMessage().startsWith("soi.jpg: "), header.getMessage());

        byte[] garbage = "\u00ff\u00d8\u00ffgarbage that only starts like a JPEG".getBytes(StandardCharsets.ISO_8859_1);
        ImageFormatException g = assertThrows(ImageFormatException.class, () -> decoder.decode(garbage, "x.jpg"));
        System.out.println("garbage: " + g.getMessage());
        assertTrue(g.getMessage().startsWith("x.jpg: corrupt JPEG image ("), g.getMessage());
    }

    @Test
    void strayBytesBeforeAMarkerAreHarmless() throws IOException {
        needsLibturbojpeg();
        byte[] clean = Files.readAllBytes(Fixtures.file("face_b.jpg"));
        int dht = TestImages.indexOf(clean, new byte[] {(byte) 0xff, (byte) 0xc4});
        byte[] stray = new byte[clean.length + 3]; // three zero bytes before the marker, as some cameras write
        System.arraycopy(clean, 0, stray, 0, dht);
        System.arraycopy(clean, dht, stray, dht + 3, clean.length - dht);
        assertEquals(decoder.decode(clean, "clean.jpg"), decoder.decode(stray, "stray.jpg"));
    }

    @Test
    void oversizedJpegIsRefusedBeforeDecoding() throws IOException {
        needsLibturbojpeg();
        byte[] jpeg = TestImages.encode(new BufferedImage(20, 10, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> new TurboJpegDecoder(199).decode(jpeg, "big.jpg"));
        assertEquals("big.jpg: JPEG image of 20x10 pixels exceeds the limit of 199 pixels", e.getMessage());
    }

    @Test
    void nonImagesGetTheImageIoMessages(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("face.jpg"), "this is not an image\n");
        assertEquals(text + ": not a JPEG or PNG image",
                assertThrows(ImageFormatException.class, () -> decoder.decode(text)).getMessage());
        Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        assertEquals(empty + ": empty file, not an image",
                assertThrows(ImageFormatException.class, () -> decoder.decode(empty)).getMessage());
    }
}
