package dev.affect.engine.backend.reference;

import dev.affect.engine.backend.Activation;
import dev.affect.engine.backend.BatchNorm;
import dev.affect.engine.backend.Binary;
import dev.affect.engine.backend.Conv2d;
import dev.affect.engine.backend.Linear;
import dev.affect.engine.tensor.Shape;
import java.util.stream.IntStream;

/**
 * Plain-Java kernels written for obviousness first: each is the textbook formula with float32
 * storage and float32 accumulation, parallel only across independent output planes.
 */
final class ReferenceKernels {
    private ReferenceKernels() {
    }

    static float[] conv2d(Conv2d op, float[] x, Shape xs, float[] residual, Shape ys) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int o = ys.dim(1);
        int ho = ys.dim(2);
        int wo = ys.dim(3);
        int kh = op.kernelH();
        int kw = op.kernelW();
        int g = op.groups();
        int cPer = c / g;
        int oPer = o / g;
        float[] wt = op.weight().toFloatArray();
        float[] bias = op.bias() == null ? null : op.bias().toFloatArray();
        float[] slopes = op.activation() != null && op.activation().slope() != null
                ? op.activation().slope().toFloatArray() : null;
        float[] y = new float[(int) ys.numel()];
        IntStream.range(0, n * o).parallel().forEach(job -> {
            int b = job / o;
            int oc = job % o;
            int grp = oc / oPer;
            int yBase = (b * o + oc) * ho * wo;
            float[] acc = new float[ho * wo];
            for (int ic = 0; ic < cPer; ic++) {
                int xBase = (b * c + grp * cPer + ic) * h * w;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        float wv = wt[((oc * cPer + ic) * kh + ky) * kw + kx];
                        for (int oy = 0; oy < ho; oy++) {
                            int iy = oy * op.strideH() - op.padH() + ky;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int row = xBase + iy * w;
                            for (int ox = 0; ox < wo; ox++) {
                                int ix = ox * op.strideW() - op.padW() + kx;
                                if (ix >= 0 && ix < w) {
                                    acc[oy * wo + ox] += wv * x[row + ix];
                                }
                            }
                        }
                    }
                }
            }
            for (int p = 0; p < ho * wo; p++) {
                float v = acc[p] + (bias == null ? 0f : bias[oc]);
                if (op.activation() != null) {
                    v = op.activation().apply(v, oc, slopes);
                }
                if (residual != null) {
                    v += residual[yBase + p];
                }
                y[yBase + p] = v;
            }
        });
        return y;
    }

    static float[] batchNorm(BatchNorm op, float[] x, Shape xs) {
        float[] mean = op.mean().toFloatArray();
        float[] var = op.variance().toFloatArray();
        float[] gamma = op.weight().toFloatArray();
        float[] beta = op.bias().toFloatArray();
        int c = xs.dim(1);
        int inner = (int) (xs.numel() / xs.dim(0) / c);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / inner) % c;
            float inv = (float) (1.0 / Math.sqrt(var[ch] + op.eps()));
            y[i] = (x[i] - mean[ch]) * inv * gamma[ch] + beta[ch];
        }
        return y;
    }

    static float[] activation(Activation op, float[] x, Shape xs) {
        float[] slopes = op.slope() == null ? null : op.slope().toFloatArray();
        int c = xs.rank() > 1 ? xs.dim(1) : 1;
        int inner = (int) (xs.numel() / Math.max(1, xs.dim(0)) / c);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = op.apply(x[i], (i / inner) % c, slopes);
        }
        return y;
    }

    static float[] binary(Binary op, float[] a, Shape as, float[] b, Shape bs, Shape ys) {
        int rank = ys.rank();
        float[] y = new float[(int) ys.numel()];
        int[] idx = new int[rank];
        long[] aStr = broadcastStrides(as, ys);
        long[] bStr = broadcastStrides(bs, ys);
        for (int i = 0; i < y.length; i++) {
            int rem = i;
            long ai = 0;
            long bi = 0;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = rem % ys.dim(d);
                rem /= ys.dim(d);
                ai += idx[d] * aStr[d];
                bi += idx[d] * bStr[d];
            }
            y[i] = op.kind().apply(a[(int) ai], b[(int) bi]);
        }
        return y;
    }

    /** Row-major strides of s, with 0 where s is broadcast along an axis of out. */
    private static long[] broadcastStrides(Shape s, Shape out) {
        long[] str = new long[s.rank()];
        long acc = 1;
        for (int d = s.rank() - 1; d >= 0; d--) {
            str[d] = s.dim(d) == 1 && out.dim(d) != 1 ? 0 : acc;
            acc *= s.dim(d);
        }
        return str;
    }

    static float[] mean(int axis, float[] x, Shape xs) {
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= xs.dim(d);
        }
        int len = xs.dim(axis);
        int inner = (int) (xs.numel() / outer / len);
        float[] y = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                float s = 0f;
                for (int k = 0; k < len; k++) {
                    s += x[(o * len + k) * inner + in];
                }
                y[o * inner + in] = s / len;
            }
        }
        return y;
    }

    static float[] linear(Linear op, float[] x, Shape xs) {
        int n = xs.dim(0);
        int k = xs.dim(1);
        int m = op.weight().shape().dim(0);
        float[] w = op.weight().toFloatArray();
        float[] bias = op.bias() == null ? null : op.bias().toFloatArray();
        float[] y = new float[n * m];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                float s = 0f;
                for (int i = 0; i < k; i++) {
                    s += x[r * k + i] * w[j * k + i];
                }
                y[r * m + j] = s + (bias == null ? 0f : bias[j]);
            }
        }
        return y;
    }
}
