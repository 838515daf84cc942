package dev.affect.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.affect.bindings.turbojpeg.DecodedCmykJpeg;
import dev.affect.bindings.turbojpeg.JpegColorspace;
import dev.affect.bindings.turbojpeg.TurboJpeg;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CMYK and YCCK JPEGs, made here at test time (the JDK's encoder writes a 4-component JPEG from a raw
 * raster with no Adobe marker; an APP14 "Adobe" segment is spliced in for the Adobe variants), decoded
 * by {@link TurboJpegDecoder} as Pillow's {@code Image.open(f).convert("RGB")} does. Skips, with the
 * loader's reason, where libturbojpeg is absent.
 */
class CmykJpegTest {
    private static final int WIDTH = 64;
    private static final int HEIGHT = 48;
    /** JPEG is lossy: a flat colour comes back within about one level per channel; 3 leaves room. */
    private static final int FLAT_TOLERANCE = 3;

    @TempDir
    Path tmp;

    private final TurboJpegDecoder decoder = new TurboJpegDecoder();

    private static void needsLibturbojpeg() {
        assumeTrue(TurboJpegDecoder.isAvailable(), () -> "libturbojpeg not available (install Debian's libturbojpeg0): "
                + TurboJpegDecoder.unavailableReason().orElse(""));
    }

    @Test
    void plainCmykIsPillowsFormulaAppliedToLibjpegsSamples() {
        needsLibturbojpeg();
        byte[] jpeg = gradient();
        assertFalse(hasAdobeMarker(jpeg), "the JDK's encoder wrote an Adobe marker; the test needs a plain file");
        assertEquals(JpegColorspace.CMYK, TurboJpeg.readHeader(jpeg).colorspace());
        DecodedCmykJpeg cmyk = TurboJpeg.decodeCmyk(jpeg, w -> false);
        RgbImage rgb = decoder.decode(jpeg, "plain.jpg");
        assertEquals(WIDTH, rgb.width());
        assertEquals(HEIGHT, rgb.height());
        assertEquals(0, maxDiff(pillowFormula(cmyk.cmyk()), rgb.pixels()));
        // the samples really vary, so the comparison covers more than one colour
        assertTrue(Arrays.stream(rgbValues(rgb)).distinct().count() > 100, "too few distinct colours");
    }

    @Test
    void adobeMarkerChangesNothingForCmyk() {
        needsLibturbojpeg();
        byte[] plain = gradient();
        byte[] adobe = withAdobeMarker(plain, 0);
        assertTrue(hasAdobeMarker(adobe));
        assertEquals(JpegColorspace.CMYK, TurboJpeg.readHeader(adobe).colorspace());
        // libjpeg inverts nothing itself, and Pillow reads every CMYK JPEG as "CMYK;I" (Adobe polarity)
        assertArrayEquals(TurboJpeg.decodeCmyk(plain, w -> false).cmyk(), TurboJpeg.decodeCmyk(adobe, w -> false).cmyk());
        assertEquals(decoder.decode(plain, "plain.jpg"), decoder.decode(adobe, "adobe.jpg"));
    }

    @Test
    void ycckIsConvertedToCmykByLibjpegThenLikeCmyk() {
        needsLibturbojpeg();
        byte[] plain = gradient();
        byte[] ycck = withAdobeMarker(plain, 2); // the same coded samples, now read as Y, Cb, Cr, K
        assertEquals(JpegColorspace.YCCK, TurboJpeg.readHeader(ycck).colorspace());
        byte[] stored = TurboJpeg.decodeCmyk(plain, w -> false).cmyk();
        DecodedCmykJpeg converted = TurboJpeg.decodeCmyk(ycck, w -> false);
        assertEquals(JpegColorspace.YCCK, converted.colorspace());
        // libjpeg: C, M, Y = 255 - JFIF YCbCr->RGB (fixed point, so within 1), K passes through
        int max = 0;
        for (int i = 0; i < stored.length; i += 4) {
            double y = stored[i] & 0xff;
            double cb = (stored[i + 1] & 0xff) - 128;
            double cr = (stored[i + 2] & 0xff) - 128;
            double[] rgb = {y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb};
            for (int c = 0; c < 3; c++) {
                long expected = 255 - Math.clamp(Math.round(rgb[c]), 0, 255);
                max = Math.max(max, (int) Math.abs(expected - (converted.cmyk()[i + c] & 0xff)));
            }
            assertEquals(stored[i + 3], converted.cmyk()[i + 3], "K at " + i / 4);
        }
        assertTrue(max <= 1, "YCCK->CMYK max |diff| " + max);
        RgbImage rgb = decoder.decode(ycck, "ycck.jpg");
        assertEquals(0, maxDiff(pillowFormula(converted.cmyk()), rgb.pixels()));
        assertFalse(rgb.equals(decoder.decode(plain, "plain.jpg")), "YCCK must not decode as plain CMYK");
    }

    @Test
    void flatAdobeColoursComeOutAsPhotoshopMeantThem() {
        needsLibturbojpeg();
        // Adobe polarity: a stored 255 is no ink, 0 is full ink.
        int[][] cases = {
            {255, 255, 255, 255, /* white */ 255, 255, 255},
            {0, 255, 255, 255, /* cyan */ 0, 255, 255},
            {255, 0, 255, 255, /* magenta */ 255, 0, 255},
            {255, 255, 0, 255, /* yellow */ 255, 255, 0},
            {255, 255, 255, 0, /* black */ 0, 0, 0},
            {255, 255, 255, 128, /* half black */ 128, 128, 128},
            // ink 55, 127, 195 under black ink 25: nk 230, R = 230 - 55*230/255 = 180.4, ...
            {200, 128, 60, 230, 180, 115, 54},
        };
        for (int[] c : cases) {
            byte[] jpeg = withAdobeMarker(flat(c[0], c[1], c[2], c[3]), 0);
            RgbImage rgb = decoder.decode(jpeg, "flat.jpg");
            String what = "stored CMYK " + Arrays.toString(Arrays.copyOf(c, 4));
            for (int i = 0; i < rgb.pixels().length; i += 3) {
                for (int ch = 0; ch < 3; ch++) {
                    int got = rgb.pixels()[i + ch] & 0xff;
                    assertTrue(Math.abs(got - c[4 + ch]) <= FLAT_TOLERANCE,
                            what + ": channel " + ch + " is " + got + ", expected " + c[4 + ch]);
                }
            }
        }
    }

    @Test
    void matchesPillow() throws IOException, InterruptedException {
        needsLibturbojpeg();
        String pillow = pillowVersion();
        byte[] plain = gradient();
        byte[][] files = {plain, withAdobeMarker(plain, 0), withAdobeMarker(plain, 2),
            withAdobeMarker(flat(200, 128, 60, 230), 0)};
        String[] names = {"plain CMYK", "Adobe CMYK", "Adobe YCCK", "flat Adobe CMYK"};
        for (int f = 0; f < files.length; f++) {
            Path file = Files.write(tmp.resolve("cmyk" + f + ".jpg"), files[f]);
            byte[] expected = pillowRgb(file);
            RgbImage decoded = decoder.decode(files[f], file.toString());
            int max = maxDiff(expected, decoded.pixels());
            System.out.printf("%s vs Pillow %s: max |diff| %d%n", names[f], pillow, max);
            assertTrue(max <= TurboJpegDecoderTest.MAX_DIFF_FROM_PILLOW, names[f] + ": max |diff| " + max);
        }
    }

    @Test
    void imageIoFallbackDecodesTheSameAsLibjpegTurbo() {
        needsLibturbojpeg();
        byte[] plain = gradient();
        byte[][] files = {plain, withAdobeMarker(plain, 0), withAdobeMarker(plain, 2), withAdobeMarker(plain, 1)};
        String[] names = {"plain CMYK", "Adobe CMYK", "Adobe YCCK", "Adobe transform 1 (YCCK to libjpeg)"};
        for (int f = 0; f < files.length; f++) {
            int max = maxDiff(decoder.decode(files[f], "turbo.jpg").pixels(),
                    ImageDecoder.imageIo().decode(files[f], "imageio.jpg").pixels());
            System.out.printf("%s: javax.imageio fallback vs libjpeg-turbo max |diff| %d%n", names[f], max);
            assertTrue(max <= TurboJpegDecoderTest.MAX_DIFF_FROM_PILLOW, names[f] + ": max |diff| " + max);
        }
    }

    @Test
    void imageIoFallbackMatchesPillow() throws IOException, InterruptedException {
        String pillow = pillowVersion(); // no libturbojpeg needed: this is the decoder used without it
        byte[] plain = gradient();
        byte[][] files = {plain, withAdobeMarker(plain, 2)};
        for (int f = 0; f < files.length; f++) {
            Path file = Files.write(tmp.resolve("imageio" + f + ".jpg"), files[f]);
            int max = maxDiff(pillowRgb(file), ImageDecoder.imageIo().decode(files[f], file.toString()).pixels());
            System.out.printf("%s vs Pillow %s through javax.imageio: max |diff| %d%n", f == 0 ? "plain CMYK" : "YCCK",
                    pillow, max);
            assertTrue(max <= TurboJpegDecoderTest.MAX_DIFF_FROM_PILLOW, "max |diff| " + max);
        }
        byte[] jpeg = withAdobeMarker(plain, 0);
        ImageFormatException truncated = assertThrows(ImageFormatException.class,
                () -> ImageDecoder.imageIo().decode(Arrays.copyOf(jpeg, jpeg.length * 2 / 3), "cut.jpg"));
        assertTrue(truncated.getMessage().startsWith("cut.jpg: truncated JPEG"), truncated.getMessage());
    }

    @Test
    void badCmykInputGetsClearErrors() {
        needsLibturbojpeg();
        byte[] jpeg = withAdobeMarker(gradient(), 0);
        ImageFormatException truncated = assertThrows(ImageFormatException.class,
                () -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length * 2 / 3), "cut.jpg"));
        assertTrue(truncated.getMessage().startsWith("cut.jpg: truncated JPEG"), truncated.getMessage());
        ImageFormatException big = assertThrows(ImageFormatException.class,
                () -> new TurboJpegDecoder(WIDTH * HEIGHT - 1).decode(jpeg, "big.jpg"));
        assertTrue(big.getMessage().contains("exceeds the limit"), big.getMessage());
        // the facade refuses to make CMYK from a YCbCr JPEG instead of failing in libjpeg
        byte[] ycbcr = TestImages.encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "jpeg");
        IllegalArgumentException notCmyk = assertThrows(IllegalArgumentException.class,
                () -> TurboJpeg.decodeCmyk(ycbcr, w -> false));
        assertTrue(notCmyk.getMessage().contains("YCBCR"), notCmyk.getMessage());
    }

    @Test
    void conversionIsPillowsIntegerArithmetic() {
        // MULDIV255 is a * b / 255 rounded half up, for every pair of 8-bit values
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                assertEquals(Math.floorDiv(2 * a * b + 255, 510), PillowCmyk.mulDiv255(a, b), a + " * " + b);
            }
        }
        byte[] cmyk = {(byte) 200, (byte) 128, 60, (byte) 230, 0, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 255};
        RgbImage rgb = PillowCmyk.toRgb(3, 1, cmyk);
        assertArrayEquals(new byte[] {(byte) 180, 115, 54, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255}, rgb.pixels());
        assertThrows(IllegalArgumentException.class, () -> PillowCmyk.toRgb(2, 1, cmyk));
    }

    /**
     * Pillow's CMYK path written out independently of {@link PillowCmyk}: invert ("CMYK;I"), then
     * {@code nk - round(ink * nk / 255)} in floating point (no 8-bit product here is a tie).
     */
    private static byte[] pillowFormula(byte[] cmyk) {
        byte[] rgb = new byte[cmyk.length / 4 * 3];
        for (int i = 0, o = 0; i < cmyk.length; i += 4, o += 3) {
            int nk = 255 - (255 - (cmyk[i + 3] & 0xff));
            for (int c = 0; c < 3; c++) {
                int ink = 255 - (cmyk[i + c] & 0xff);
                rgb[o + c] = (byte) Math.clamp(nk - Math.round(ink * nk / 255.0), 0, 255);
            }
        }
        return rgb;
    }

    /** A CMYK gradient as in the CLI's fixtures, with every channel varying. */
    private static byte[] gradient() {
        return cmykJpeg((x, y) -> new int[] {x * 4, y * 5, 100 + x + y, 255 - 2 * x - y});
    }

    private static byte[] flat(int c, int m, int y, int k) {
        return cmykJpeg((px, py) -> new int[] {c, m, y, k});
    }

    private interface Pixel {
        int[] at(int x, int y);
    }

    /** A 4-component JPEG from the JDK's encoder: no JFIF or Adobe marker, samples stored as given. */
    private static byte[] cmykJpeg(Pixel pixel) {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, WIDTH, HEIGHT, 4, null);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                r.setPixel(x, y, pixel.at(x, y));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(r, null, null), writer.getDefaultWriteParam());
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * The JPEG with an APP14 "Adobe" segment right after SOI, as Photoshop writes it: version 100, no
     * flags, and {@code transform} 0 (CMYK as stored) or 2 (YCCK).
     */
    private static byte[] withAdobeMarker(byte[] jpeg, int transform) {
        byte[] app14 = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        byte[] out = new byte[jpeg.length + app14.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app14, 0, out, 2, app14.length);
        System.arraycopy(jpeg, 2, out, 2 + app14.length, jpeg.length - 2);
        return out;
    }

    /** Walks the marker segments before the first scan, looking for APP14 "Adobe". */
    private static boolean hasAdobeMarker(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xff) {
            int marker = jpeg[i + 1] & 0xff;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xee && i + 9 <= jpeg.length
                    && new String(jpeg, i + 4, 5, StandardCharsets.US_ASCII).equals("Adobe")) {
                return true;
            }
            if (marker == 0xda) {
                return false;
            }
            i += 2 + length;
        }
        throw new AssertionError("malformed JPEG headers at byte " + i);
    }

    private static int[] rgbValues(RgbImage image) {
        int[] values = new int[image.width() * image.height()];
        for (int p = 0; p < values.length; p++) {
            values[p] = image.get(p % image.width(), p / image.width(), 0) << 16
                    | image.get(p % image.width(), p / image.width(), 1) << 8 | image.get(p % image.width(), p / image.width(), 2);
        }
        return values;
    }

    private static int maxDiff(byte[] expected, byte[] actual) {
        assertEquals(expected.length, actual.length, "sample count");
        int max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((expected[i] & 0xff) - (actual[i] & 0xff)));
        }
        return max;
    }

    private static final String PYTHON = "/usr/bin/python3";

    /** Pillow's version, or skips the test, saying why, where Debian's python3-pil is absent. */
    private static String pillowVersion() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " not found: cannot compare with Pillow");
        Python run = python("import PIL; print(PIL.__version__)");
        assumeTrue(run.exit == 0, () -> "Pillow not importable by " + PYTHON + " (apt-get install python3-pil): "
                + new String(run.out, StandardCharsets.UTF_8).strip());
        return new String(run.out, StandardCharsets.UTF_8).strip();
    }

    /** {@code Image.open(file).convert("RGB").tobytes()}. */
    private static byte[] pillowRgb(Path file) throws IOException, InterruptedException {
        Python run = python("import sys; from PIL import Image; sys.stdout.buffer.write("
                + "Image.open(sys.argv[1]).convert('RGB').tobytes())", file.toString());
        assertEquals(0, run.exit, () -> "Pillow failed on " + file + ": " + new String(run.out, StandardCharsets.UTF_8));
        return run.out;
    }

    private record Python(int exit, byte[] out) {
    }

    private static Python python(String code, String... args) throws IOException, InterruptedException {
        String[] command = new String[3 + args.length];
        command[0] = PYTHON;
        command[1] = "-c";
        command[2] = code;
        System.arraycopy(args, 0, command, 3, args.length);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python timed out");
        return new Python(p.exitValue(), out);
    }
}
