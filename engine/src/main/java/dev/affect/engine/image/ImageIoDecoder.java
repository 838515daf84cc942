package dev.affect.engine.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * JPEG/PNG decoding with javax.imageio, converted to RGB the way PIL's {@code convert("RGB")} does:
 * grey is replicated, palettes are looked up, alpha is dropped (not composited), and stored sample
 * values are used as they are (no gamma or ICC conversion, which PIL does not apply either).
 *
 * <p>PNG decoding is lossless, so it matches Pillow exactly. JPEG goes through the JDK's bundled IJG
 * libjpeg rather than Pillow's libjpeg-turbo; both use the ISLOW IDCT and fancy chroma upsampling, and
 * were measured bit-identical on the fixtures and on 4:4:4/4:2:2/4:2:0, baseline/progressive and grey
 * files, but another decoder may differ by a few units. Like Pillow, EXIF orientation and ICC profiles
 * are not applied. CMYK and YCCK JPEGs are converted as Pillow converts them (see {@link PillowCmyk});
 * YCCK goes to CMYK with libjpeg's own arithmetic first, as libjpeg-turbo does for Pillow.
 *
 * <p>Deliberate differences from Pillow: 16-bit samples keep their high byte (Pillow does so for
 * 16-bit RGB but clips 16-bit grey at 255); JPEGs whose entropy-coded data is damaged are refused
 * (Pillow refuses only truncated ones); images over {@link #DEFAULT_MAX_PIXELS} are refused (Pillow
 * only warns) so a hostile header cannot make us allocate gigabytes.
 *
 * <p>Stateless and thread-safe: each call uses its own {@link ImageReader}.
 */
public final class ImageIoDecoder implements ImageDecoder {
    /** Pillow's {@code Image.MAX_IMAGE_PIXELS} (decompression-bomb warning threshold). */
    public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

    // libjpeg's YCC->RGB constants (jdcolor.c): FIX(x) = x * 2^16 rounded; ONE_HALF rounds the shift.
    private static final int SCALE_BITS = 16;
    private static final int HALF = 1 << (SCALE_BITS - 1);
    private static final int FIX_1_402 = 91881;
    private static final int FIX_1_772 = 116130;
    private static final int FIX_0_71414 = 46802;
    private static final int FIX_0_34414 = 22554;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final long maxPixels;

    public ImageIoDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    public ImageIoDecoder(long maxPixels) {
        if (maxPixels <= 0 || maxPixels > Integer.MAX_VALUE / 3) {
            throw new IllegalArgumentException("maxPixels must be in 1.." + Integer.MAX_VALUE / 3 + ", got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    @Override
    public RgbImage decode(byte[] data, String name) {
        if (data == null || data.length == 0) {
            throw new ImageFormatException(name + ": empty file, not an image");
        }
        // Sniff the format ourselves: ImageIO would also accept BMP/GIF/TIFF, and its WBMP reader
        // claims almost any byte string, which would turn garbage into a bogus image.
        String format = isPng(data) ? "PNG" : isJpeg(data) ? "JPEG" : null;
        if (format == null) {
            throw new ImageFormatException(name + ": not a JPEG or PNG image");
        }
        return read(data, name, format);
    }

    private RgbImage read(byte[] data, String name, String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.toLowerCase(Locale.ROOT));
        if (!readers.hasNext()) {
            throw new ImageFormatException(name + ": no " + format + " reader in this JVM (javax.imageio)");
        }
        ImageReader reader = readers.next();
        WarningListener warnings = new WarningListener();
        reader.addIIOReadWarningListener(warnings);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, false);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new ImageFormatException(name + ": " + format + " image has zero size (" + width + "x" + height + ")");
            }
            if ((long) width * height > maxPixels) {
                throw new ImageFormatException(name + ": " + format + " image of " + width + "x" + height
                        + " pixels exceeds the limit of " + maxPixels + " pixels");
            }
            JpegComponents kind = format.equals("JPEG") ? JpegComponents.of(data) : JpegComponents.OTHER;
            // readRaster converts no colours: a CMYK file's samples as stored, a YCCK file's Y, Cb, Cr, K.
            Raster cmyk = kind != JpegComponents.OTHER ? reader.readRaster(0, null) : null;
            BufferedImage image = cmyk == null ? reader.read(0) : null;
            // libjpeg pads a truncated JPEG with grey and only warns; Pillow refuses truncated files.
            if (warnings.problem() != null) {
                throw new ImageFormatException(name + ": " + warnings.problem() + " " + format + " image (" + warnings.detail() + ")");
            }
            return cmyk != null ? cmykToRgb(cmyk, kind == JpegComponents.YCCK) : toRgb(image, name, format);
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports malformed data as IIOException, EOFException or assorted runtime exceptions.
            boolean truncated = hasEofCause(e) || format.equals("PNG") && pngEndsEarly(data);
            String what = truncated ? "truncated " : "corrupt ";
            throw new ImageFormatException(name + ": " + what + format + " image (" + describe(e) + ")", e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * A CMYK or YCCK JPEG's raw samples to RGB as {@link TurboJpegDecoder} does: YCCK to CMYK first,
     * with libjpeg's own fixed-point arithmetic (jdcolor.c {@code ycck_cmyk_convert}), then
     * {@link PillowCmyk}.
     */
    private static RgbImage cmykToRgb(Raster raster, boolean ycck) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        byte[] rgb = new byte[width * height * 3];
        int[] samples = new int[width * 4];
        byte[] cmyk = new byte[width * 4];
        for (int row = 0; row < height; row++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + row, width, 1, samples);
            for (int i = 0; i < samples.length; i += 4) {
                if (ycck) {
                    int y = samples[i];
                    int cb = samples[i + 1] - 128;
                    int cr = samples[i + 2] - 128;
                    cmyk[i] = (byte) (255 - clip8(y + ((FIX_1_402 * cr + HALF) >> SCALE_BITS)));
                    cmyk[i + 1] = (byte) (255 - clip8(y + ((-FIX_0_34414 * cb + HALF - FIX_0_71414 * cr) >> SCALE_BITS)));
                    cmyk[i + 2] = (byte) (255 - clip8(y + ((FIX_1_772 * cb + HALF) >> SCALE_BITS)));
                } else {
                    cmyk[i] = (byte) samples[i];
                    cmyk[i + 1] = (byte) samples[i + 1];
                    cmyk[i + 2] = (byte) samples[i + 2];
                }
                cmyk[i + 3] = (byte) samples[i + 3];
            }
            PillowCmyk.convert(cmyk, 0, rgb, row * width * 3, width);
        }
        return new RgbImage(width, height, rgb);
    }

    private static int clip8(int v) {
        return Math.clamp(v, 0, 255);
    }

    /** Copies the decoded samples to interleaved 8-bit RGB. */
    private static RgbImage toRgb(BufferedImage image, String name, String format) {
        int width = image.getWidth();
        int height = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        byte[] out = new byte[width * height * 3];
        int[] row = new int[width];
        if (cm instanceof IndexColorModel palette) {
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0, o = y * width * 3; x < width; x++, o += 3) {
                    int index = row[x];
                    out[o] = (byte) palette.getRed(index);
                    out[o + 1] = (byte) palette.getGreen(index);
                    out[o + 2] = (byte) palette.getBlue(index);
                }
            }
            return new RgbImage(width, height, out);
        }
        int colorSpace = cm.getColorSpace().getType();
        boolean grey = colorSpace == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
        boolean rgb = colorSpace == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3;
        if (!grey && !rgb) {
            throw new ImageFormatException(name + ": unsupported " + format + " colour model ("
                    + cm.getNumColorComponents() + " colour components, colour space type " + colorSpace + ")");
        }
        for (int c = 0; c < 3; c++) {
            int band = grey ? 0 : c; // alpha, when present, is the last band and never read
            int bits = cm.getComponentSize(band);
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, band, row);
                for (int x = 0, o = y * width * 3 + c; x < width; x++, o += 3) {
                    out[o] = (byte) to8Bit(row[x], bits);
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    /** 16-bit keeps the high byte (as Pillow's RGB;16B unpacker); 1/2/4-bit expand to 0..255. */
    static int to8Bit(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        return bits > 8 ? sample >>> (bits - 8) : sample * 255 / ((1 << bits) - 1);
    }

    private static boolean isPng(byte[] data) {
        if (data.length < PNG_SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (data[i] != PNG_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJpeg(byte[] data) {
        return data.length >= 3 && (data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xd8 && (data[2] & 0xff) == 0xff;
    }

    /** True when a PNG chunk runs past the end of the data, or the data stops before IEND. */
    static boolean pngEndsEarly(byte[] data) {
        long pos = PNG_SIGNATURE.length;
        while (pos + 8 <= data.length) {
            int p = (int) pos;
            long length = ((data[p] & 0xffL) << 24) | ((data[p + 1] & 0xff) << 16) | ((data[p + 2] & 0xff) << 8) | (data[p + 3] & 0xff);
            long end = pos + 12 + length; // length, type, payload, CRC
            if (end > data.length) {
                return true;
            }
            if (data[p + 4] == 'I' && data[p + 5] == 'E' && data[p + 6] == 'N' && data[p + 7] == 'D') {
                return false;
            }
            pos = end;
        }
        return true;
    }

    private static boolean hasEofCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /** The cause chain in one line, e.g. "Error reading PNG image data: EOFException". */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(sb.isEmpty() ? "" : ": ").append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return sb.toString();
    }

    /** Keeps the first truncation and the first corruption warning, as sorted by {@link JpegWarnings}. */
    private static final class WarningListener implements IIOReadWarningListener {
        String truncated;
        String corrupt;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            String problem = JpegWarnings.problem(warning);
            if (JpegWarnings.TRUNCATED.equals(problem)) {
                truncated = truncated == null ? warning : truncated;
            } else if (JpegWarnings.CORRUPT.equals(problem)) {
                corrupt = corrupt == null ? warning : corrupt;
            }
        }

        /** The problem to report, or null when the image is complete and sound. */
        String problem() {
            return truncated != null ? JpegWarnings.TRUNCATED : corrupt != null ? JpegWarnings.CORRUPT : null;
        }

        String detail() {
            return truncated != null ? truncated : corrupt;
        }
    }
}
