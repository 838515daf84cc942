package dev.affect.engine.backend.reference;

import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.tensor.Shape;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The two halves of a convolution's backward pass, direct loops accumulated in double. Each
 * parallel job owns whole output planes (an input-gradient plane, or one output channel's filter),
 * so no two jobs write the same element.
 */
final class ConvGradientKernels {
    private ConvGradientKernels() {
    }

    /** gx [N, C, H, W] = the transposed convolution of gy with w (each gy element scattered back). */
    static float[] backwardData(float[] gy, Shape gys, float[] w, Shape ws, Conv2d conv, Shape xs) {
        Geometry g = Geometry.of(xs, ws, gys, conv);
        float[] gx = new float[(int) xs.numel()];
        IntStream.range(0, g.n * g.c).parallel().forEach(job -> {
            int b = job / g.c;
            int ic = job % g.c;
            int grp = ic / g.cPer;
            int icg = ic % g.cPer;
            double[] acc = new double[g.h * g.w];
            for (int ocg = 0; ocg < g.oPer; ocg++) {
                int oc = grp * g.oPer + ocg;
                int gyBase = (b * g.o + oc) * g.ho * g.wo;
                for (int ky = 0; ky < g.kh; ky++) {
                    for (int kx = 0; kx < g.kw; kx++) {
                        double wv = w[((oc * g.cPer + icg) * g.kh + ky) * g.kw + kx];
                        int oxLo = g.firstOut(kx, conv.padW(), conv.strideW(), g.wo);
                        int oxHi = g.lastOut(kx, conv.padW(), conv.strideW(), g.w, g.wo);
                        for (int oy = g.firstOut(ky, conv.padH(), conv.strideH(), g.ho);
                             oy <= g.lastOut(ky, conv.padH(), conv.strideH(), g.h, g.ho); oy++) {
                            int row = (oy * conv.strideH() - conv.padH() + ky) * g.w - conv.padW() + kx;
                            int gyRow = gyBase + oy * g.wo;
                            scatterRow(acc, row, conv.strideW(), wv, gy, gyRow, oxLo, oxHi);
                        }
                    }
                }
            }
            int base = job * g.h * g.w;
            for (int p = 0; p < acc.length; p++) {
                gx[base + p] = (float) acc[p];
            }
        });
        return gx;
    }

    /** gw [O, C/g, KH, KW] = the correlation of x with gy, summed over the batch. */
    static float[] backwardWeights(float[] x, Shape xs, float[] gy, Shape gys, Shape ws, Conv2d conv) {
        Geometry g = Geometry.of(xs, ws, gys, conv);
        float[] gw = new float[(int) ws.numel()];
        IntStream.range(0, g.o).parallel().forEach(oc -> {
            int grp = oc / g.oPer;
            double[] columns = new double[g.wo];
            for (int icg = 0; icg < g.cPer; icg++) {
                int ic = grp * g.cPer + icg;
                for (int ky = 0; ky < g.kh; ky++) {
                    int oyLo = g.firstOut(ky, conv.padH(), conv.strideH(), g.ho);
                    int oyHi = g.lastOut(ky, conv.padH(), conv.strideH(), g.h, g.ho);
                    for (int kx = 0; kx < g.kw; kx++) {
                        int oxLo = g.firstOut(kx, conv.padW(), conv.strideW(), g.wo);
                        int oxHi = g.lastOut(kx, conv.padW(), conv.strideW(), g.w, g.wo);
                        // products summed per output column first: a vectorisable row update, not a serial sum
                        Arrays.fill(columns, 0);
                        for (int b = 0; b < g.n; b++) {
                            int xBase = (b * g.c + ic) * g.h * g.w - conv.padW() + kx;
                            int gyBase = (b * g.o + oc) * g.ho * g.wo;
                            for (int oy = oyLo; oy <= oyHi; oy++) {
                                int xRow = xBase + (oy * conv.strideH() - conv.padH() + ky) * g.w;
                                multiplyRow(columns, gy, gyBase + oy * g.wo, x, xRow, conv.strideW(), oxLo, oxHi);
                            }
                        }
                        double s = 0;
                        for (double v : columns) {
                            s += v;
                        }
                        gw[((oc * g.cPer + icg) * g.kh + ky) * g.kw + kx] = (float) s;
                    }
                }
            }
        });
        return gw;
    }

    /** gb [O] = gy summed over N, OH and OW. */
    static float[] backwardBias(float[] gy, Shape gys) {
        int n = gys.dim(0);
        int o = gys.dim(1);
        int plane = gys.dim(2) * gys.dim(3);
        float[] gb = new float[o];
        for (int oc = 0; oc < o; oc++) {
            double s = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * o + oc) * plane;
                for (int p = 0; p < plane; p++) {
                    s += gy[base + p];
                }
            }
            gb[oc] = (float) s;
        }
        return gb;
    }

    /** acc[row + ox*stride] += wv * gy[gyRow + ox] for ox in [lo, hi]; stride 1 kept contiguous for the JIT. */
    private static void scatterRow(double[] acc, int row, int stride, double wv, float[] gy, int gyRow, int lo, int hi) {
        if (stride == 1) {
            for (int ox = lo; ox <= hi; ox++) {
                acc[row + ox] += wv * gy[gyRow + ox];
            }
        } else {
            for (int ox = lo; ox <= hi; ox++) {
                acc[row + ox * stride] += wv * gy[gyRow + ox];
            }
        }
    }

    /** columns[ox] += gy[gyRow + ox] * x[xRow + ox*stride] for ox in [lo, hi]. */
    private static void multiplyRow(double[] columns, float[] gy, int gyRow, float[] x, int xRow, int stride, int lo,
                                    int hi) {
        if (stride == 1) {
            for (int ox = lo; ox <= hi; ox++) {
                columns[ox] += (double) gy[gyRow + ox] * x[xRow + ox];
            }
        } else {
            for (int ox = lo; ox <= hi; ox++) {
                columns[ox] += (double) gy[gyRow + ox] * x[xRow + ox * stride];
            }
        }
    }

    /** The sizes of one convolution, and which outputs a kernel tap reaches inside the input. */
    private record Geometry(int n, int c, int h, int w, int o, int ho, int wo, int kh, int kw, int cPer, int oPer) {
        static Geometry of(Shape xs, Shape ws, Shape gys, Conv2d conv) {
            return new Geometry(xs.dim(0), xs.dim(1), xs.dim(2), xs.dim(3), gys.dim(1), gys.dim(2), gys.dim(3),
                    ws.dim(2), ws.dim(3), xs.dim(1) / conv.groups(), gys.dim(1) / conv.groups());
        }

        /** The first output position whose tap k lands at input index >= 0. */
        int firstOut(int k, int pad, int stride, int outLen) {
            return Math.min(Math.max(0, -Math.floorDiv(k - pad, stride)), outLen);
        }

        /** The last output position whose tap k lands at input index < inLen. */
        int lastOut(int k, int pad, int stride, int inLen, int outLen) {
            return Math.min(outLen - 1, Math.floorDiv(inLen - 1 + pad - k, stride));
        }
    }
}
