package dev.affect.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageIoDecoderTest {
    private final ImageDecoder decoder = ImageDecoder.imageIo();

    @Test
    void pngFixturesDecodeExactlyAsPillow() throws IOException {
        for (String face : new String[] {"face_a", "face_c"}) {
            RgbImage decoded = decoder.decode(Fixtures.file(face + ".png"));
            RgbImage expected = Fixtures.npy(face + "_rgb.npy").image();
            assertEquals(expected.width(), decoded.width(), face);
            assertEquals(expected.height(), decoded.height(), face);
            assertArrayEquals(expected.pixels(), decoded.pixels(), face + " pixels");
        }
    }

    @Test
    void jpegFixtureIsCloseToPillow() throws IOException {
        RgbImage decoded = decoder.decode(Fixtures.file("face_b.jpg"));
        RgbImage expected = Fixtures.npy("face_b_rgb.npy").image();
        assertEquals(200, decoded.width());
        assertEquals(160, decoded.height());
        int max = 0;
        long sum = 0;
        int differing = 0;
        byte[] a = decoded.pixels();
        byte[] b = expected.pixels();
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
            max = Math.max(max, d);
            sum += d;
            differing += d != 0 ? 1 : 0;
        }
        double mean = (double) sum / a.length;
        System.out.printf("face_b.jpg ImageIO vs Pillow: max |diff| %d, mean |diff| %.5f, %d of %d samples differ%n",
                max, mean, differing, a.length);
        assertTrue(max <= MAX_JPEG_DIFF, "max |diff| " + max);
        assertTrue(mean <= MEAN_JPEG_DIFF, "mean |diff| " + mean);
    }

    /**
     * Measured: 0 (bit-identical). The JDK's IJG libjpeg and Pillow's libjpeg-turbo share the ISLOW IDCT,
     * fancy (triangle) 4:2:0 chroma upsampling and YCbCr tables. The bound leaves a little room for a
     * replacement decoder's rounding, but not for a different upsampling, which moves edge pixels by 10+.
     */
    static final int MAX_JPEG_DIFF = 2;
    static final double MEAN_JPEG_DIFF = 0.05;

    @Test
    void greyPngIsReplicatedNotColourManaged() {
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = {0, 1, 64, 128, 200, 255};
        grey.getRaster().setPixels(0, 0, 3, 2, values);
        RgbImage rgb = decoder.decode(TestImages.encode(grey, "png"), "grey.png");
        // BufferedImage.getRGB would map grey through a linear-to-sRGB curve; PIL just copies it.
        assertArrayEquals(repeat3(values), ints(rgb));
    }

    @Test
    void sixteenBitGreyKeepsHighByte() {
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setPixels(0, 0, 2, 2, new int[] {0, 0x12ff, 0x8000, 0xffff});
        RgbImage rgb = decoder.decode(TestImages.encode(grey, "png"), "grey16.png");
        assertArrayEquals(repeat3(new int[] {0, 0x12, 0x80, 0xff}), ints(rgb));
    }

    @Test
    void rgbaPngDropsAlphaWithoutCompositing() {
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x00_10_20_30); // fully transparent: colour must survive (PIL convert("RGB"))
        rgba.setRGB(1, 0, 0x80_f0_80_08);
        RgbImage rgb = decoder.decode(TestImages.encode(rgba, "png"), "rgba.png");
        assertArrayEquals(new int[] {0x10, 0x20, 0x30, 0xf0, 0x80, 0x08}, ints(rgb));
    }

    @Test
    void palettePngIsLookedUp() {
        byte[] r = {(byte) 255, 0, 7};
        byte[] g = {0, (byte) 255, 8};
        byte[] b = {0, 0, 9};
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 3, r, g, b));
        indexed.getRaster().setPixels(0, 0, 3, 1, new int[] {2, 0, 1});
        RgbImage rgb = decoder.decode(TestImages.encode(indexed, "png"), "palette.png");
        assertArrayEquals(new int[] {7, 8, 9, 255, 0, 0, 0, 255, 0}, ints(rgb));
    }

    @Test
    void oneBitPngExpandsToBlackAndWhite() {
        BufferedImage binary = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
        binary.getRaster().setPixels(0, 0, 2, 1, new int[] {1, 0});
        assertArrayEquals(new int[] {255, 255, 255, 0, 0, 0}, ints(decoder.decode(TestImages.encode(binary, "png"), "bw.png")));
    }

    @Test
    void greyJpegIsReplicated() throws IOException {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        Arrays.fill(((java.awt.image.DataBufferByte) grey.getRaster().getDataBuffer()).getData(), (byte) 77);
        RgbImage rgb = decoder.decode(TestImages.encode(grey, "jpeg"), "grey.jpg");
        for (int v : ints(rgb)) {
            assertEquals(77, v, 1); // a flat block survives JPEG within a unit
        }
        assertEquals(rgb.get(3, 3, 0), rgb.get(3, 3, 2)); // grey in, grey out
    }

    @Test
    void textIsNotAnImage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("face.jpg");
        Files.writeString(file, "this is not an image\n");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(file));
        assertEquals(file + ": not a JPEG or PNG image", e.getMessage());
    }

    @Test
    void emptyFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("empty.png");
        Files.write(file, new byte[0]);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(file));
        assertEquals(file + ": empty file, not an image", e.getMessage());
    }

    @Test
    void missingFileIsAnIoException(@TempDir Path dir) {
        assertThrows(IOException.class, () -> decoder.decode(dir.resolve("absent.png")));
    }

    @Test
    void truncatedPngIsRejected() throws IOException {
        byte[] full = Files.readAllBytes(Fixtures.file("face_a.png"));
        byte[] half = Arrays.copyOf(full, full.length / 2);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(half, "face_a.png"));
        assertTrue(e.getMessage().startsWith("face_a.png: truncated PNG image"), e.getMessage());
    }

    @Test
    void truncatedJpegIsRejected() throws IOException {
        byte[] full = Files.readAllBytes(Fixtures.file("face_b.jpg"));
        byte[] half = Arrays.copyOf(full, full.length / 2);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(half, "face_b.jpg"));
        assertTrue(e.getMessage().startsWith("face_b.jpg: truncated JPEG image"), e.getMessage());
    }

    @Test
    void headerOnlyIsRejected() {
        byte[] pngSignature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        ImageFormatException png = assertThrows(ImageFormatException.class, () -> decoder.decode(pngSignature, "sig.png"));
        assertTrue(png.getMessage().startsWith("sig.png: truncated PNG image"), png.getMessage());
        byte[] soi = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
        ImageFormatException jpeg = assertThrows(ImageFormatException.class, () -> decoder.decode(soi, "soi.jpg"));
        assertTrue(jpeg.getMessage().startsWith("soi.jpg: "), jpeg.getMessage());
    }

    @Test
    void corruptBytesAreRejected() throws IOException {
        byte[] png = Files.readAllBytes(Fixtures.file("face_a.png"));
        // Scramble the compressed pixel data but keep every chunk boundary intact.
        int idat = TestImages.indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII));
        int length = java.nio.ByteBuffer.wrap(png, idat - 4, 4).getInt();
        for (int i = idat + 4 + 2; i < idat + 4 + length; i++) {
            png[i] = (byte) (i * 31);
        }
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(png, "face_a.png"));
        assertTrue(e.getMessage().startsWith("face_a.png: corrupt PNG image"), e.getMessage());

        byte[] garbage = "\u00ff\u00d8\u00ffgarbage that only starts like a JPEG".getBytes(StandardCharsets.ISO_8859_1);
        ImageFormatException j = assertThrows(ImageFormatException.class, () -> decoder.decode(garbage, "x.jpg"));
        assertTrue(j.getMessage().startsWith("x.jpg: corrupt JPEG image"), j.getMessage());
    }

    @Test
    void damagedJpegDataIsRejected() throws IOException {
        byte[] jpeg = Files.readAllBytes(Fixtures.file("face_b.jpg"));
        // Scramble entropy-coded data after the headers; libjpeg only warns and would return garbage pixels.
        int scan = TestImages.indexOf(jpeg, new byte[] {(byte) 0xff, (byte) 0xda});
        for (int i = scan + 200; i < scan + 1500; i++) {
            jpeg[i] = (byte) (i * 31);
        }
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(jpeg, "face_b.jpg"));
        assertTrue(e.getMessage().startsWith("face_b.jpg: corrupt JPEG image (Corrupt JPEG data"), e.getMessage());
    }

    @Test
    void zeroSizePngIsRejected() {
        byte[] png = pngWithHeader(0, 5);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(png, "zero.png"));
        assertTrue(e.getMessage().startsWith("zero.png: "), e.getMessage());
        assertTrue(e.getMessage().contains("width"), e.getMessage());
    }

    @Test
    void oversizedImageIsRefusedBeforeDecoding() {
        BufferedImage big = new BufferedImage(20, 10, BufferedImage.TYPE_3BYTE_BGR);
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> new ImageIoDecoder(199).decode(TestImages.encode(big, "png"), "big.png"));
        assertEquals("big.png: PNG image of 20x10 pixels exceeds the limit of 199 pixels", e.getMessage());
    }

    /** Signature + IHDR (8-bit RGB) + an empty IDAT + IEND, with valid CRCs. */
    private static byte[] pngWithHeader(int width, int height) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 + 25 + 12 + 12);
        buf.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(buf, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(buf, "IDAT", new byte[0]);
        chunk(buf, "IEND", new byte[0]);
        return buf.array();
    }

    private static void chunk(java.nio.ByteBuffer buf, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        crc.update(t);
        crc.update(data);
        buf.putInt(data.length).put(t).put(data).putInt((int) crc.getValue());
    }

    private static int[] ints(RgbImage image) {
        int[] out = new int[image.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = image.pixels()[i] & 0xff;
        }
        return out;
    }

    private static int[] repeat3(int[] grey) {
        int[] out = new int[grey.length * 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = grey[i / 3];
        }
        return out;
    }
}
