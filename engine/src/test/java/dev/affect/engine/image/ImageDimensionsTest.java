package dev.affect.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link ImageDecoder#dimensions}: the declared size from the header alone. */
class ImageDimensionsTest {
    private final ImageDecoder decoder = ImageDecoder.imageIo();

    @Test
    void jpegHeadersOfOddSizesMatchTheDecodedImage() {
        int[][] sizes = {{37, 53}, {1, 1}, {53, 37}, {255, 1}, {257, 300}};
        for (int[] s : sizes) {
            for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY}) {
                byte[] jpeg = TestImages.encode(new BufferedImage(s[0], s[1], type), "jpeg");
                ImageDimensions d = decoder.dimensions(jpeg, "odd.jpg");
                assertEquals(new ImageDimensions(s[0], s[1]), d);
                RgbImage decoded = decoder.decode(jpeg, "odd.jpg");
                assertEquals(d, new ImageDimensions(decoded.width(), decoded.height()));
            }
        }
    }

    @Test
    void jpegFillBytesAndSegmentsBeforeTheFrameAreSkipped() {
        byte[] jpeg = TestImages.encode(new BufferedImage(37, 53, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        // SOI, then an extra COM segment whose payload holds a fake SOF0 marker, then fill bytes.
        byte[] extra = {(byte) 0xff, (byte) 0xfe, 0, 9, (byte) 0xff, (byte) 0xc0, 0, 11, 8, 0, 1, (byte) 0xff, (byte) 0xff};
        byte[] patched = new byte[jpeg.length + extra.length];
        System.arraycopy(jpeg, 0, patched, 0, 2);
        System.arraycopy(extra, 0, patched, 2, extra.length);
        System.arraycopy(jpeg, 2, patched, 2 + extra.length, jpeg.length - 2);
        assertEquals(new ImageDimensions(37, 53), decoder.dimensions(patched, "com.jpg"));
    }

    @Test
    void pngHeaderIsIhdr() {
        byte[] png = TestImages.encode(new BufferedImage(301, 7, BufferedImage.TYPE_INT_ARGB), "png");
        ImageDimensions d = decoder.dimensions(png, "wide.png");
        assertEquals(new ImageDimensions(301, 7), d);
        assertEquals(2107, d.pixels());
        assertEquals("301x7", d.toString());
    }

    @Test
    void hugeSidesDoNotOverflow() {
        assertEquals(65535L * 65535L, new ImageDimensions(65535, 65535).pixels());
    }

    @Test
    void truncatedHeadersAreFormatErrors() {
        byte[] png = TestImages.encode(new BufferedImage(30, 20, BufferedImage.TYPE_3BYTE_BGR), "png");
        byte[] jpeg = TestImages.encode(new BufferedImage(30, 20, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        int sof = TestImages.indexOf(jpeg, new byte[] {(byte) 0xff, (byte) 0xc0});
        for (int cut : new int[] {8, 12, 20, 23}) {
            assertRefused(Arrays.copyOf(png, cut), "cut.png", "truncated PNG");
        }
        for (int cut : new int[] {3, 4, 20, sof, sof + 1, sof + 2, sof + 6}) {
            assertRefused(Arrays.copyOf(jpeg, cut), "cut.jpg", "truncated JPEG");
        }
    }

    @Test
    void garbageHeadersAreFormatErrors() {
        byte[] png = TestImages.encode(new BufferedImage(30, 20, BufferedImage.TYPE_3BYTE_BGR), "png");
        byte[] notIhdr = png.clone();
        notIhdr[12] = 'X';
        assertRefused(notIhdr, "x.png", "first chunk is not IHDR");
        byte[] hugeWidth = png.clone();
        hugeWidth[16] = (byte) 0x80;
        assertRefused(hugeWidth, "x.png", "corrupt PNG");

        byte[] noMarker = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 4, 0, 0, 0x12, 0x34};
        assertRefused(noMarker, "x.jpg", "expected a marker at byte 8");
        byte[] scanFirst = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xda, 0, 2};
        assertRefused(scanFirst, "x.jpg", "no frame header before the scan");
        byte[] badLength = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 1, 0, 0};
        assertRefused(badLength, "x.jpg", "segment length 1");
        assertRefused("hello".getBytes(), "notes.txt", "not a JPEG or PNG image");
        assertRefused(new byte[0], "empty.png", "empty file");
    }

    private void assertRefused(byte[] data, String name, String expected) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.dimensions(data, name));
        assertTrue(e.getMessage().startsWith(name + ": ") && e.getMessage().contains(expected), e.getMessage());
    }
}
