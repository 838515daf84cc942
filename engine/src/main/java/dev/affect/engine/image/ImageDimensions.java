package dev.affect.engine.image;

/** The size an encoded image's header declares, read before anything is decoded. */
public record ImageDimensions(int width, int height) {

    /** width x height, as a long so that two large sides cannot overflow. */
    public long pixels() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
