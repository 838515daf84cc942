package dev.affect.bindings.turbojpeg;

/**
 * What {@code tjDecompressHeader3} reads from a JPEG's headers.
 *
 * @param width       pixels, at least 1
 * @param height      pixels, at least 1
 * @param subsampling a {@code TJSAMP} value, or {@link #UNKNOWN_SUBSAMPLING} for chroma sampling
 *                    factors TurboJPEG 2.1 has no name for (libjpeg still decodes those)
 * @param colorspace  the stored colour space
 */
public record JpegHeader(int width, int height, int subsampling, JpegColorspace colorspace) {
    /** TurboJPEG 3's {@code TJSAMP_UNKNOWN}; 2.1 fails the header call instead. */
    public static final int UNKNOWN_SUBSAMPLING = -1;
}
