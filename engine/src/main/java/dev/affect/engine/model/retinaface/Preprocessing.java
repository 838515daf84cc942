package dev.affect.engine.model.retinaface;

/**
 * face_align_v2.0.py's pre-processing on 8-bit pixels: the resize factor rule, OpenCV's
 * {@code cv2.resize(fx=r, fy=r, INTER_LINEAR)} on the float image, BGR planes minus (104, 117, 123),
 * then zero padding at the bottom and right up to the size bucket, written in the layout the network
 * takes: {@link Layout#HWC} for ours, {@link Layout#CHW} planes for the authors' (and ONNX's) NCHW.
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

    /** Where value (channel c, row y, column x) of a [3, ph, pw] image goes: c * channel + y * row + x * column. */
    public enum Layout {
        /** B, G, R planes: [3, H, W]. */
        CHW,
        /** Pixel-interleaved B, G, R: [H, W, 3]. */
        HWC;

        int channelStride(int ph, int pw) {
            return this == CHW ? ph * pw : 1;
        }

        int rowStride(int pw) {
            return this == CHW ? pw : 3 * pw;
        }

        int columnStride() {
            return this == CHW ? 1 : 3;
        }
    }

    /**
     * The network input of one image.
     *
     * @param values        B, G, R minus the means in {@code layout}, paddedHeight x paddedWidth (zero in the padding)
     * @param height        the resized image's height (rows of real pixels)
     * @param width         the resized image's width
     * @param resize        the factor r from original to resized pixels
     */
    public record Prepared(float[] values, Layout layout, int height, int width, int paddedHeight, int paddedWidth, double resize) {
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
    public static Prepared prepare(byte[] pixels, int width, int height, int channels, DetectionConfig cfg, Layout layout) {
        return prepare(pixels, width, height, channels, cfg, layout, null);
    }

    /**
     * As {@link #prepare(byte[], int, int, int, DetectionConfig, Layout)}, writing into {@code reuse}
     * when it has the padded size (a frame's megabyte of floats is then not allocated again; its
     * padding is zeroed), else into a new array. The result's values are {@code reuse} then.
     */
    public static Prepared prepare(byte[] pixels, int width, int height, int channels, DetectionConfig cfg, Layout layout,
                                   float[] reuse) {
        double r = resizeFactor(height, width, cfg.targetSize(), cfg.maxSize());
        boolean resize = r != 1.0;
        int h = resize ? resizedSide(height, r) : height;
        int w = resize ? resizedSide(width, r) : width;
        int ph = padded(h, cfg.bucketMultiple());
        int pw = padded(w, cfg.bucketMultiple());
        float[] out;
        if (reuse != null && reuse.length == 3 * ph * pw) {
            out = reuse;
            zeroPadding(out, layout, h, w, ph, pw);
        } else {
            out = new float[3 * ph * pw];
        }
        Writer to = new Writer(out, layout, ph, pw);
        if (resize) {
            resizeLinear(pixels, width, height, channels, 1.0 / r, w, h, to);
        } else {
            float[] row = new float[3 * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int rgb = 0; rgb < 3; rgb++) {
                        row[3 * x + rgb] = sample(pixels, width, channels, x, y, rgb);
                    }
                }
                to.row(y, row, w);
            }
        }
        return new Prepared(out, layout, h, w, ph, pw, r);
    }

    /** Zeroes what the image does not cover: columns w.. of its rows, and rows h.. (values of every channel). */
    private static void zeroPadding(float[] out, Layout layout, int h, int w, int ph, int pw) {
        int cs = layout.channelStride(ph, pw);
        int rs = layout.rowStride(pw);
        int xs = layout.columnStride();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < ph; y++) {
                int from = y < h ? w : 0;
                for (int x = from, at = c * cs + y * rs + x * xs; x < pw; x++, at += xs) {
                    out[at] = 0f;
                }
            }
        }
    }

    /** Writes rows of R, G, B floats as B, G, R minus the means into the layout's positions. */
    private record Writer(float[] out, Layout layout, int ph, int pw) {
        void row(int y, float[] rgb, int w) {
            int cs = layout.channelStride(ph, pw);
            int xs = layout.columnStride();
            int base = y * layout.rowStride(pw);
            for (int c = 0; c < 3; c++) {
                float mean = BGR_MEAN[c];
                int from = 2 - c;
                int at = base + c * cs;
                for (int x = 0; x < w; x++, at += xs) {
                    out[at] = rgb[3 * x + from] - mean;
                }
            }
        }
    }

    /** Channel {@code rgb} (0 = R) of pixel (x, y) as a float. */
    private static float sample(byte[] pixels, int width, int channels, int x, int y, int rgb) {
        int i = ((y * width) + x) * channels + (channels == 1 ? 0 : rgb);
        return pixels[i] & 0xff;
    }

    /** Writes the dh x dw resized image; scale = 1 / r, OpenCV's scale_x. */
    private static void resizeLinear(byte[] pixels, int sw, int sh, int channels, double scale, int dw, int dh, Writer to) {
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
        float[] mixed = new float[3 * dw];
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
            for (int i = 0; i < mixed.length; i++) {
                mixed[i] = row0[i] * b0 + row1[i] * b1;
            }
            to.row(dy, mixed, dw);
        }
    }

    /** One source row resized horizontally: S[sx] * a0 + S[sx + 1] * a1, or S[sx] * a0 alone at the right edge. */
    private static void horizontal(byte[] pixels, int sw, int channels, int y, int[] xofs, float[] alpha, float[] out) {
        if (channels == 3) {
            int row = y * sw * 3;
            for (int dx = 0; dx < xofs.length; dx++) {
                int sx = xofs[dx];
                float a0 = alpha[2 * dx];
                int i = row + sx * 3;
                int o = 3 * dx;
                if (sx + 1 < sw) {
                    float a1 = alpha[2 * dx + 1];
                    out[o] = (pixels[i] & 0xff) * a0 + (pixels[i + 3] & 0xff) * a1;
                    out[o + 1] = (pixels[i + 1] & 0xff) * a0 + (pixels[i + 4] & 0xff) * a1;
                    out[o + 2] = (pixels[i + 2] & 0xff) * a0 + (pixels[i + 5] & 0xff) * a1;
                } else {
                    out[o] = (pixels[i] & 0xff) * a0;
                    out[o + 1] = (pixels[i + 1] & 0xff) * a0;
                    out[o + 2] = (pixels[i + 2] & 0xff) * a0;
                }
            }
            return;
        }
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
