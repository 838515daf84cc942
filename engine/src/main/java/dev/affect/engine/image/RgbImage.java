package dev.affect.engine.image;

import java.util.Arrays;

/**
 * An 8-bit RGB image, pixels interleaved row by row (HWC: {@code pixels[(y * width + x) * 3 + c]}).
 *
 * <p>The array is shared, not copied, so large images move through the pipeline without copies;
 * treat it as read-only once the image is built.
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (pixels == null || (long) width * height * 3 != pixels.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs "
                    + (long) width * height * 3 + " bytes, got " + (pixels == null ? "null" : pixels.length));
        }
    }

    /** Channel {@code c} (0 = R, 1 = G, 2 = B) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xff;
    }

    // Records compare arrays by identity; images are values, so compare the pixels.
    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage r && r.width == width && r.height == height
                && Arrays.equals(r.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
