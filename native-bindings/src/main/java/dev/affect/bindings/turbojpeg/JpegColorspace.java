package dev.affect.bindings.turbojpeg;

/** TurboJPEG's {@code enum TJCS}: the colour space a JPEG is stored in. */
public enum JpegColorspace {
    RGB(0),
    YCBCR(1),
    GRAY(2),
    CMYK(3),
    YCCK(4);

    /** The C enum value. */
    public final int code;

    JpegColorspace(int code) {
        this.code = code;
    }

    /** The constant for a {@code TJCS} value, or null when it is not one. */
    static JpegColorspace of(int code) {
        for (JpegColorspace c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }

    /**
     * Whether libjpeg can convert it to RGB itself (it cannot convert CMYK/YCCK: decode those with
     * {@link TurboJpeg#decodeCmyk} and convert the CMYK).
     */
    public boolean convertsToRgb() {
        return this != CMYK && this != YCCK;
    }
}
