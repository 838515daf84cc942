package dev.affect.engine.image;

/**
 * The most pixels one image may declare. A few hundred KB of PNG can declare 88 Mpixel of black, so
 * the size is checked from the header before a decoder allocates anything.
 */
public record PixelBudget(long maxPixelsPerImage) {
    /** 4096x4096: far above any face crop, far below what a handful of requests could exhaust memory with. */
    public static final long DEFAULT_MAX_PIXELS_PER_IMAGE = 4096L * 4096L;

    public PixelBudget {
        if (maxPixelsPerImage <= 0) {
            throw new IllegalArgumentException("maxPixelsPerImage must be positive, got " + maxPixelsPerImage);
        }
    }

    public static PixelBudget defaults() {
        return new PixelBudget(DEFAULT_MAX_PIXELS_PER_IMAGE);
    }

    /**
     * @throws ImageFormatException the image declares a zero width or height
     * @throws ImageTooLargeException the image declares more than the budget
     */
    public void check(ImageDimensions declared, String name) {
        if (declared.width() <= 0 || declared.height() <= 0) {
            throw new ImageFormatException(name + ": image has zero size (" + declared + ")");
        }
        if (declared.pixels() > maxPixelsPerImage) {
            throw new ImageTooLargeException(name, declared, maxPixelsPerImage);
        }
    }
}
