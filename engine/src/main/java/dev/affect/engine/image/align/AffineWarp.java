package dev.affect.engine.image.align;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.RgbImage;

/**
 * OpenCV's {@code cv2.warpAffine(img, M, (w, h))} with INTER_LINEAR and BORDER_CONSTANT 0 on 8-bit
 * images, bit for bit (imgwarp.cpp, OpenCV 4.x): the fixed-point path, not a float bilinear warp.
 *
 * <p>OpenCV inverts M in double, then for each destination pixel forms the source position in 1/1024
 * px ({@code cvRound}, half to even), adds 16 and shifts down to 1/32 px; the integer part picks the
 * top-left neighbour, the 5-bit fractions pick integer bilinear weights summing to 32768, and the
 * result is {@code (sum + 16384) >> 15}. Neighbours outside the image count as 0. A float bilinear
 * warp differs from this by up to 5 levels at sharp edges, enough to matter for golden tests.
 * Channels are warped independently, so RGB and BGR give the same pixels in their own order.
 */
public final class AffineWarp {
    private static final int AB_BITS = 10;
    private static final int AB_SCALE = 1 << AB_BITS;
    private static final int INTER_BITS = 5;
    private static final int INTER_TAB_SIZE = 1 << INTER_BITS;
    private static final int ROUND_DELTA = AB_SCALE / INTER_TAB_SIZE / 2;
    private static final int COEF_BITS = 15;

    private AffineWarp() {
    }

    /**
     * Warps {@code source} into a {@code width x height} image.
     *
     * @param toDestination maps source pixel coordinates to destination ones (OpenCV's M without
     *     WARP_INVERSE_MAP)
     * @throws InvalidInputException when the matrix is not finite or not invertible
     */
    public static RgbImage warp(RgbImage source, AffineMatrix toDestination, int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height * 3 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("output size must be positive and fit one array, got " + width + "x" + height);
        }
        if (!toDestination.isFinite()) {
            throw new InvalidInputException("matrix", "not finite: " + toDestination);
        }
        if (toDestination.m00() * toDestination.m11() - toDestination.m01() * toDestination.m10() == 0) {
            throw new InvalidInputException("matrix", "singular (determinant 0): " + toDestination);
        }
        AffineMatrix mi = toDestination.inverseLikeOpenCv();
        int sw = source.width();
        int sh = source.height();
        byte[] src = source.pixels();
        byte[] out = new byte[width * height * 3];
        int[] adelta = new int[width];
        int[] bdelta = new int[width];
        for (int x = 0; x < width; x++) {
            adelta[x] = cvRound(mi.m00() * x * AB_SCALE);
            bdelta[x] = cvRound(mi.m10() * x * AB_SCALE);
        }
        for (int y = 0; y < height; y++) {
            int x0 = cvRound((mi.m01() * y + mi.m02()) * AB_SCALE) + ROUND_DELTA;
            int y0 = cvRound((mi.m11() * y + mi.m12()) * AB_SCALE) + ROUND_DELTA;
            int o = y * width * 3;
            for (int x = 0; x < width; x++, o += 3) {
                int xs = (x0 + adelta[x]) >> (AB_BITS - INTER_BITS);
                int ys = (y0 + bdelta[x]) >> (AB_BITS - INTER_BITS);
                int sx = saturateShort(xs >> INTER_BITS);
                int sy = saturateShort(ys >> INTER_BITS);
                int fx = xs & (INTER_TAB_SIZE - 1);
                int fy = ys & (INTER_TAB_SIZE - 1);
                // OpenCV's weight table for INTER_LINEAR: products of the 1-D weights, exact in 1/32768.
                int w00 = (INTER_TAB_SIZE - fx) * (INTER_TAB_SIZE - fy) * INTER_TAB_SIZE;
                int w01 = fx * (INTER_TAB_SIZE - fy) * INTER_TAB_SIZE;
                int w10 = (INTER_TAB_SIZE - fx) * fy * INTER_TAB_SIZE;
                int w11 = fx * fy * INTER_TAB_SIZE;
                int p00 = (sy * sw + sx) * 3;
                if (sx >= 0 && sy >= 0 && sx + 1 < sw && sy + 1 < sh) {
                    // all four neighbours inside: the common case, without the border tests
                    int p10 = p00 + sw * 3;
                    for (int c = 0; c < 3; c++) {
                        int sum = (src[p00 + c] & 0xff) * w00 + (src[p00 + 3 + c] & 0xff) * w01
                                + (src[p10 + c] & 0xff) * w10 + (src[p10 + 3 + c] & 0xff) * w11;
                        out[o + c] = (byte) ((sum + (1 << (COEF_BITS - 1))) >> COEF_BITS);
                    }
                    continue;
                }
                if (sx >= sw || sx + 1 < 0 || sy >= sh || sy + 1 < 0) {
                    continue; // entirely outside: the border value 0, already there
                }
                boolean x0In = sx >= 0;
                boolean x1In = sx + 1 < sw;
                boolean y0In = sy >= 0;
                boolean y1In = sy + 1 < sh;
                int p10 = p00 + sw * 3;
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    if (y0In) {
                        sum += x0In ? (src[p00 + c] & 0xff) * w00 : 0;
                        sum += x1In ? (src[p00 + 3 + c] & 0xff) * w01 : 0;
                    }
                    if (y1In) {
                        sum += x0In ? (src[p10 + c] & 0xff) * w10 : 0;
                        sum += x1In ? (src[p10 + 3 + c] & 0xff) * w11 : 0;
                    }
                    out[o + c] = (byte) ((sum + (1 << (COEF_BITS - 1))) >> COEF_BITS);
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    /** OpenCV's {@code cvRound} on x86-64 (SSE2 cvtsd2si): half to even; out of range gives INT_MIN. */
    static int cvRound(double v) {
        double r = Math.rint(v);
        return r >= Integer.MIN_VALUE && r <= Integer.MAX_VALUE ? (int) r : Integer.MIN_VALUE;
    }

    private static int saturateShort(int v) {
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }
}
