package dev.affect.engine.backend.reference;

import dev.affect.engine.tensor.Shape;

/** Backward passes of the ops that reduce along an axis: training batch norm, softmax, mean. */
final class ReductionGradientKernels {
    private ReductionGradientKernels() {
    }

    /**
     * gx, gw, gb of training batch norm, from the batch mean and biased variance the forward
     * returned: gx = w/sqrt(var+eps) * (gy - mean(gy) - x̂*mean(gy*x̂)), gw = sum(gy*x̂), gb = sum(gy).
     */
    static float[][] batchNormTraining(float[] x, Shape xs, float[] gy, float[] mean, float[] var, float[] weight,
                                       float eps) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int inner = (int) (xs.numel() / n / c);
        long count = (long) n * inner;
        float[] gx = new float[x.length];
        float[] gw = new float[c];
        float[] gb = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = mean[ch];
            double inv = 1.0 / Math.sqrt((double) var[ch] + eps);
            double sumGy = 0;
            double sumGyXhat = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    sumGy += gy[base + i];
                    sumGyXhat += gy[base + i] * ((x[base + i] - m) * inv);
                }
            }
            double meanGy = sumGy / count;
            double meanGyXhat = sumGyXhat / count;
            double scale = weight[ch] * inv;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    double xhat = (x[base + i] - m) * inv;
                    gx[base + i] = (float) (scale * (gy[base + i] - meanGy - xhat * meanGyXhat));
                }
            }
            gw[ch] = (float) sumGyXhat;
            gb[ch] = (float) sumGy;
        }
        return new float[][] {gx, gw, gb};
    }

    /** gx = y * (gy - sum(gy*y)) along the axis. */
    static float[] softmax(float[] y, Shape ys, float[] gy, int axis) {
        Axis a = Axis.of(ys, axis);
        float[] gx = new float[y.length];
        for (int o = 0; o < a.outer; o++) {
            for (int in = 0; in < a.inner; in++) {
                double dot = 0;
                for (int k = 0; k < a.len; k++) {
                    int i = (o * a.len + k) * a.inner + in;
                    dot += (double) gy[i] * y[i];
                }
                for (int k = 0; k < a.len; k++) {
                    int i = (o * a.len + k) * a.inner + in;
                    gx[i] = (float) (y[i] * (gy[i] - dot));
                }
            }
        }
        return gx;
    }

    /** gx = gy repeated along the axis, divided by its length. */
    static float[] mean(float[] gy, Shape xs, int axis) {
        Axis a = Axis.of(xs, axis);
        float[] gx = new float[(int) xs.numel()];
        for (int o = 0; o < a.outer; o++) {
            for (int in = 0; in < a.inner; in++) {
                float g = (float) ((double) gy[o * a.inner + in] / a.len);
                for (int k = 0; k < a.len; k++) {
                    gx[(o * a.len + k) * a.inner + in] = g;
                }
            }
        }
        return gx;
    }

    /** Sizes before, along and after an axis (negative counts from the end). */
    private record Axis(int outer, int len, int inner) {
        static Axis of(Shape s, int axis) {
            int a = axis < 0 ? axis + s.rank() : axis;
            int outer = 1;
            for (int d = 0; d < a; d++) {
                outer *= s.dim(d);
            }
            int len = s.dim(a);
            return new Axis(outer, len, (int) (s.numel() / outer / len));
        }
    }
}
