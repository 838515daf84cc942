package dev.affect.engine.backend.reference;

import dev.affect.engine.tensor.Shape;
import java.util.stream.IntStream;

/** Direct convolution, float32 accumulation, parallel across independent output planes. */
final class ConvKernels {
    private ConvKernels() {
    }

    /** What follows the convolution: bias, then an activation, then a residual add. */
    interface Epilogue {
        float apply(float v, int channel, int index);
    }

    static float[] conv2d(float[] x, Shape xs, float[] wt, Shape ws, float[] bias, int strideH, int strideW, int padH,
                          int padW, int groups, Shape ys, Epilogue epilogue) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int o = ys.dim(1);
        int ho = ys.dim(2);
        int wo = ys.dim(3);
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        int cPer = c / groups;
        int oPer = o / groups;
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
                            int iy = oy * strideH - padH + ky;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int row = xBase + iy * w;
                            for (int ox = 0; ox < wo; ox++) {
                                int ix = ox * strideW - padW + kx;
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
                y[yBase + p] = epilogue == null ? v : epilogue.apply(v, oc, yBase + p);
            }
        });
        return y;
    }
}
