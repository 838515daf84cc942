package dev.affect.engine.image;

/**
 * Bit-exact port of Pillow's {@code Image.resize(size, Image.BILINEAR)} for 8-bit RGB
 * (libImaging/Resample.c, unchanged in substance from Pillow 4 to 9.4 and later).
 *
 * <p>torchvision's {@code Resize} on a PIL image calls exactly this, so matching it bit for bit keeps
 * the model's inputs identical to the authors'. It is an antialiased, separable resampling: the
 * triangle filter's support grows with the downscale factor (unlike OpenCV's INTER_LINEAR), weights
 * are normalised per output pixel and then quantised to 22-bit fixed point, and each pass rounds and
 * clips to 8 bits. The horizontal pass runs first; a pass whose size is unchanged is skipped.
 */
public final class PillowResize {
    /** 32 bits minus 8 for the value minus 2 for overflow headroom, as Pillow. */
    static final int PRECISION_BITS = 32 - 8 - 2;
    /** Support of the bilinear (triangle) filter before scaling. */
    private static final double BILINEAR_SUPPORT = 1.0;

    private PillowResize() {
    }

    /** Resizes to {@code width x height}; returns {@code image} itself when the size is unchanged (Pillow copies). */
    public static RgbImage bilinear(RgbImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height * 3 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("target size " + width + "x" + height + " is too large for one byte array");
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        Coefficients vertical = Coefficients.of(image.height(), height);
        // Only the source rows the vertical pass will read are resampled horizontally.
        int firstRow = vertical.start[0];
        int lastRow = vertical.start[height - 1] + vertical.count[height - 1];
        byte[] pixels = image.pixels();
        int widthNow = image.width();
        int rowOffset = 0;
        if (width != image.width()) {
            pixels = horizontal(pixels, image.width(), firstRow, lastRow - firstRow, Coefficients.of(image.width(), width));
            widthNow = width;
            rowOffset = firstRow;
        }
        if (height != image.height()) {
            pixels = vertical(pixels, widthNow, rowOffset, vertical);
        }
        return new RgbImage(width, height, pixels);
    }

    /** Resamples rows {@code firstRow .. firstRow + rows} of {@code in} to {@code k.outSize} columns. */
    private static byte[] horizontal(byte[] in, int inWidth, int firstRow, int rows, Coefficients k) {
        int outWidth = k.outSize;
        byte[] out = new byte[outWidth * rows * 3];
        for (int y = 0; y < rows; y++) {
            int rowBase = (y + firstRow) * inWidth * 3;
            for (int xx = 0; xx < outWidth; xx++) {
                int kBase = xx * k.ksize;
                int p = rowBase + k.start[xx] * 3;
                int s0 = 1 << (PRECISION_BITS - 1);
                int s1 = s0;
                int s2 = s0;
                for (int x = 0; x < k.count[xx]; x++, p += 3) {
                    int w = k.fixed[kBase + x];
                    s0 += (in[p] & 0xff) * w;
                    s1 += (in[p + 1] & 0xff) * w;
                    s2 += (in[p + 2] & 0xff) * w;
                }
                int o = (y * outWidth + xx) * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return out;
    }

    /** Resamples columns to {@code k.outSize} rows; row indices in {@code k} are shifted by {@code rowOffset}. */
    private static byte[] vertical(byte[] in, int width, int rowOffset, Coefficients k) {
        int outHeight = k.outSize;
        int stride = width * 3;
        byte[] out = new byte[stride * outHeight];
        for (int yy = 0; yy < outHeight; yy++) {
            int kBase = yy * k.ksize;
            int first = k.start[yy] - rowOffset;
            for (int i = 0; i < stride; i++) {
                int s = 1 << (PRECISION_BITS - 1);
                int p = first * stride + i;
                for (int y = 0; y < k.count[yy]; y++, p += stride) {
                    s += (in[p] & 0xff) * k.fixed[kBase + y];
                }
                out[yy * stride + i] = clip8(s);
            }
        }
        return out;
    }

    /** Pillow's clip8: drop the fraction bits (arithmetic shift), then clamp to 0..255. */
    private static byte clip8(int accumulator) {
        int v = accumulator >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Filter taps for one axis: output pixel i reads {@code count[i]} inputs from {@code start[i]}. */
    static final class Coefficients {
        final int outSize;
        final int ksize;
        final int[] start;
        final int[] count;
        final int[] fixed;

        private Coefficients(int outSize, int ksize) {
            this.outSize = outSize;
            this.ksize = ksize;
            this.start = new int[outSize];
            this.count = new int[outSize];
            this.fixed = new int[outSize * ksize];
        }

        /** precompute_coeffs + normalize_coeffs_8bpc for the whole axis (box = 0..inSize). */
        static Coefficients of(int inSize, int outSize) {
            // Pillow passes the box as float; in1 - in0 is exact for any realistic size.
            double scale = (double) (float) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = BILINEAR_SUPPORT * filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            Coefficients k = new Coefficients(outSize, ksize);
            double[] w = new double[ksize];
            double ss = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double sum = 0.0;
                for (int x = 0; x < xmax; x++) {
                    w[x] = triangle((x + xmin - center + 0.5) * ss);
                    sum += w[x];
                }
                for (int x = 0; x < xmax; x++) {
                    double normalised = sum != 0.0 ? w[x] / sum : w[x];
                    // Round half away from zero, truncating as C's (int) cast does.
                    k.fixed[xx * ksize + x] = normalised < 0
                            ? (int) (-0.5 + normalised * (1 << PRECISION_BITS))
                            : (int) (0.5 + normalised * (1 << PRECISION_BITS));
                }
                k.start[xx] = xmin;
                k.count[xx] = xmax;
            }
            return k;
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
