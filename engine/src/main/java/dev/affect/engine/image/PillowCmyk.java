package dev.affect.engine.image;

/**
 * Bit-exact port of what Pillow does to a CMYK (or YCCK) JPEG in {@code Image.open(f).convert("RGB")},
 * given the CMYK samples libjpeg decodes (YCCK already converted to CMYK by libjpeg, as Pillow asks).
 *
 * <p>Two steps, as in Pillow 9.4 (Debian 12's python3-pil), where {@code CmykJpegTest} checks them:
 * <ol>
 *   <li>JpegImagePlugin reads every 4-component JPEG with raw mode {@code "CMYK;I"} ("assume adobe
 *       conventions"), whether or not the file has an Adobe APP14 marker: each sample v becomes
 *       {@code 255 - v} (Unpack.c).</li>
 *   <li>{@code convert("RGB")} is Convert.c {@code cmyk2rgb}: {@code nk = 255 - K},
 *       {@code R = CLIP8(nk - MULDIV255(C, nk))} and likewise G from M, B from Y, where
 *       {@code MULDIV255(a, b) = (t = a * b + 128, ((t >> 8) + t) >> 8)}, i.e. a * b / 255 rounded.</li>
 * </ol>
 * No ICC profile is applied (Pillow applies none either), so colours are the naive conversion.
 */
public final class PillowCmyk {
    private PillowCmyk() {
    }

    /**
     * Converts libjpeg's CMYK samples ({@code cmyk[(y * width + x) * 4 + c]}) to RGB as Pillow does.
     *
     * @throws IllegalArgumentException when {@code cmyk} does not hold {@code width * height} pixels
     */
    public static RgbImage toRgb(int width, int height, byte[] cmyk) {
        if (width <= 0 || height <= 0 || cmyk == null || (long) width * height * 4 != cmyk.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " CMYK image needs "
                    + (long) width * height * 4 + " bytes, got " + (cmyk == null ? "null" : cmyk.length));
        }
        byte[] rgb = new byte[width * height * 3];
        convert(cmyk, 0, rgb, 0, width * height);
        return new RgbImage(width, height, rgb);
    }

    /** Converts {@code pixels} CMYK pixels from {@code cmyk[from..]} to RGB at {@code rgb[to..]}. */
    static void convert(byte[] cmyk, int from, byte[] rgb, int to, int pixels) {
        for (int i = from, o = to, end = from + pixels * 4; i < end; i += 4, o += 3) {
            // "CMYK;I": Pillow's samples are the inverted stored ones.
            int nk = cmyk[i + 3] & 0xff; // 255 - (255 - stored K)
            rgb[o] = channel(255 - (cmyk[i] & 0xff), nk);
            rgb[o + 1] = channel(255 - (cmyk[i + 1] & 0xff), nk);
            rgb[o + 2] = channel(255 - (cmyk[i + 2] & 0xff), nk);
        }
    }

    /** {@code CLIP8(nk - MULDIV255(ink, nk))}; never below 0 since ink * nk / 255 <= nk. */
    private static byte channel(int ink, int nk) {
        return (byte) (nk - mulDiv255(ink, nk));
    }

    /** Pillow's {@code MULDIV255}: a * b / 255, rounded, exact for a, b in 0..255. */
    static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }
}
