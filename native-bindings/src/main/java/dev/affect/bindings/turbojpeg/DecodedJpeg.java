package dev.affect.bindings.turbojpeg;

/**
 * A JPEG decoded by {@link TurboJpeg#decodeRgb} to packed 8-bit RGB, row by row
 * ({@code rgb[(y * width + x) * 3 + c]}, HWC).
 *
 * @param warning the libjpeg warning the caller chose to tolerate, or null when there was none
 */
public record DecodedJpeg(int width, int height, byte[] rgb, String warning) {
    public DecodedJpeg {
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException(width + "x" + height + " RGB needs " + (long) width * height * 3
                    + " bytes, got " + rgb.length);
        }
    }
}
