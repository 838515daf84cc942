package dev.affect.engine.image;

/** The size an encoded image's header declares, read before anything is decoded. */
public record ImageDimensions(int width, int height) {

    /** width x height, as a long so that two large sides cannot overflow. */
    /**
     * The size a JPEG or PNG header declares, read without decoding.
     *
     * @throws ImageFormatException when the data is not a JPEG or PNG, or its header is cut short or malformed
     */
    public static ImageDimensions of(byte[] encoded, String name) {
        return ImageHeaders.read(encoded, name);
    }

    public long pixels() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
