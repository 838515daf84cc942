package dev.affect.engine.model.retinaface;

/**
 * face_align_v2.0.py's pre-processing on 8-bit pixels: the resize factor rule, OpenCV's
 * {@code cv2.resize(fx=r, fy=r, INTER_LINEAR)} on the float image, BGR planes minus (104, 117, 123),
 * then zero padding at the bottom and right up to the size bucket.
 *
 * <p>The resize emulates OpenCV 4's generic float path: source coordinate (dst + 0.5) / r - 0.5
 * rounded to float32, floor and fraction, horizontal taps clamped at the edges (weight 1 on the edge
 * pixel), vertical taps on clamped rows, weights (1 - f, f) in float32, horizontal pass then vertical,
 * each a float32 {@code a * wa + b * wb}. Not emulated: the exact-halving INTER_AREA shortcut OpenCV
 * takes when r is exactly 0.5 (the same average, rounded in another order).
 * Only the output (at most maxSize^2 pixels) and two rows of it are allocated, whatever the input size.
 */
public final class Preprocessing {
    /** Channel means subtracted from B, G, R. */
    static final float[] BGR_MEAN = {104f, 117f, 123f};

    private Preprocessing() {
    }

    /**
     * The network input of one image.
     *
     * @param chw           [3, paddedHeight, paddedWidth] B, G, R planes (zero in the padding)
     * @param height        the resized image's height (rows of real pixels)
     * @param width         the resized image's width
     * @param resize        the factor r from original to resized pixels
     */
    public record Prepared(float[] chw, int height, int width, int paddedHeight, int paddedWidth, double resize) {
    }

    /**
     * r = target / shorter side, unless round(r * longer side) > max, then r = max / longer side
     * (numpy's round: half to even).
     */
    public static double resizeFactor(int height, int width, int targetSize, int maxSize) {
        int small = Math.min(height, width);
        int large = Math.max(height, width);
        double r = (double) targetSize / small;
        if (Math.rint(r * large) > maxSize) {
            r = (double) maxSize / large;
        }
        return r;
    }

    /** OpenCV's output side for factor r (cvRound of side * r), at least 1 where OpenCV would refuse 0. */
    public static int resizedSide(int side, double r) {
        return Math.max(1, (int) Math.rint(side * r));
    }

    static int padded(int side, int multiple) {
        return (side + multiple - 1) / multiple * multiple;
    }

    /**
     * @param pixels   8-bit HWC, {@code channels} 3 (R, G, B) or 1 (grey, used for all three)
     */
    public static Prepared prepare(byte[] pixels, int width, int height, int channels, DetectionConfig cfg) {
        double r = resizeFactor(height, width, cfg.targetSize(), cfg.maxSize());
        boolean resize = r != 1.0;
        int h = resize ? resizedSide(height, r) : height;
        int w = resize ? resizedSide(width, r) : width;
        int ph = padded(h, cfg.bucketMultiple());
        int pw = padded(w, cfg.bucketMultiple());
        float[] chw = new float[3 * ph * pw];
        if (resize) {
            resizeLinear(pixels, width, height, channels, 1.0 / r, w, h, chw, ph, pw);
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        chw[(c * ph + y) * pw + x] = sample(pixels, width, channels, x, y, 2 - c);
                    }
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int row = (c * ph + y) * pw;
                for (int x = 0; x < w; x++) {
                    chw[row + x] -= BGR_MEAN[c];
                }
            }
        }
        return new Prepared(chw, h, w, ph, pw, r);
    }

    /** Channel {@code rgb} (0 = R) of pixel (x, y) as a float. */
    private static float sample(byte[] pixels, int width, int channels, int x, int y, int rgb) {
        int i = ((y * width) + x) * channels + (channels == 1 ? 0 : rgb);
        return pixels[i] & 0xff;
    }

    /** Writes the dh x dw resized B, G, R planes into chw (planes of ph x pw); scale = 1 / r, OpenCV's scale_x. */
    private static void resizeLinear(byte[] pixels, int sw, int sh, int channels, double scale, int dw, int dh,
                                     float[] chw, int ph, int pw) {
        int[] xofs = new int[dw];
        float[] alpha = new float[2 * dw];
        for (int dx = 0; dx < dw; dx++) {
            float fx = (float) ((dx + 0.5) * scale - 0.5);
            int sx = (int) Math.floor(fx);
            fx -= sx;
            if (sx < 0) {
                fx = 0;
                sx = 0;
            }
            if (sx >= sw - 1) {
                fx = 0;
                sx = sw - 1;
            }
            xofs[dx] = sx;
            alpha[2 * dx] = 1f - fx;
            alpha[2 * dx + 1] = fx;
        }
        float[] row0 = new float[3 * dw];
        float[] row1 = new float[3 * dw];
        int have0 = -1;
        int have1 = -1;
        for (int dy = 0; dy < dh; dy++) {
            float fy = (float) ((dy + 0.5) * scale - 0.5);
            int sy = (int) Math.floor(fy);
            fy -= sy;
            float b0 = 1f - fy;
            float b1 = fy;
            int y0 = Math.clamp(sy, 0, sh - 1);
            int y1 = Math.clamp(sy + 1, 0, sh - 1);
            if (have0 != y0) {
                if (have1 == y0) {
                    float[] t = row0;
                    row0 = row1;
                    row1 = t;
                    have1 = -1;
                } else {
                    horizontal(pixels, sw, channels, y0, xofs, alpha, row0);
                }
                have0 = y0;
            }
            if (have1 != y1) {
                horizontal(pixels, sw, channels, y1, xofs, alpha, row1);
                have1 = y1;
            }
            for (int dx = 0; dx < dw; dx++) {
                for (int rgb = 0; rgb < 3; rgb++) {
                    float v = row0[3 * dx + rgb] * b0 + row1[3 * dx + rgb] * b1;
                    chw[((2 - rgb) * ph + dy) * pw + dx] = v;
                }
            }
        }
    }

    /** One source row resized horizontally: S[sx] * a0 + S[sx + 1] * a1, or S[sx] * a0 alone at the right edge. */
    private static void horizontal(byte[] pixels, int sw, int channels, int y, int[] xofs, float[] alpha, float[] out) {
        for (int dx = 0; dx < xofs.length; dx++) {
            int sx = xofs[dx];
            float a0 = alpha[2 * dx];
            float a1 = alpha[2 * dx + 1];
            for (int rgb = 0; rgb < 3; rgb++) {
                float s0 = sample(pixels, sw, channels, sx, y, rgb);
                out[3 * dx + rgb] = sx + 1 < sw ? s0 * a0 + sample(pixels, sw, channels, sx + 1, y, rgb) * a1 : s0 * a0;
            }
        }
    }
}
