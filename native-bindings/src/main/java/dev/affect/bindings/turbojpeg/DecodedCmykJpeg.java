package dev.affect.bindings.turbojpeg;

/**
 * A CMYK or YCCK JPEG decoded by {@link TurboJpeg#decodeCmyk} to packed 8-bit CMYK, row by row
 * ({@code cmyk[(y * width + x) * 4 + c]}, c = C, M, Y, K).
 *
 * <p>The samples are libjpeg's, unchanged: a CMYK file's stored values, or for YCCK the C, M, Y that
 * libjpeg computes as 255 minus the YCC-converted R, G, B, with K passed through. libjpeg inverts
 * nothing else, so an Adobe (Photoshop) file comes out with Adobe's inverted polarity (0 = full ink).
 *
 * @param colorspace the stored colour space: {@link JpegColorspace#CMYK} or {@link JpegColorspace#YCCK}
 * @param warning    the libjpeg warning the caller chose to tolerate, or null when there was none
 */
public record DecodedCmykJpeg(int width, int height, byte[] cmyk, JpegColorspace colorspace, String warning) {
    public DecodedCmykJpeg {
        if ((long) width * height * 4 != cmyk.length) {
            throw new IllegalArgumentException(width + "x" + height + " CMYK needs " + (long) width * height * 4
                    + " bytes, got " + cmyk.length);
        }
        if (colorspace.convertsToRgb()) {
            throw new IllegalArgumentException("not a CMYK or YCCK colour space: " + colorspace);
        }
    }
}
