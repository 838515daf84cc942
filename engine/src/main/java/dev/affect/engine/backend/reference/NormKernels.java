package dev.affect.engine.backend.reference;

import dev.affect.engine.tensor.Shape;

/** Batch and layer normalisation; statistics are accumulated in double. */
final class NormKernels {
    private NormKernels() {
    }

    static float[] batchNorm(float[] x, Shape xs, float[] mean, float[] var, float[] gamma, float[] beta, float eps) {
        int c = xs.dim(1);
        int inner = (int) (xs.numel() / xs.dim(0) / c);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / inner) % c;
            float inv = (float) (1.0 / Math.sqrt(var[ch] + eps));
            y[i] = (x[i] - mean[ch]) * inv * gamma[ch] + beta[ch];
        }
        return y;
    }

    /** y, new running mean, new running var, batch mean, biased batch var. */
    static float[][] batchNormTraining(float[] x, Shape xs, float[] runMean, float[] runVar, float[] gamma, float[] beta,
                                       float eps, float momentum) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int inner = (int) (xs.numel() / n / c);
        long count = (long) n * inner;
        float[] mean = new float[c];
        float[] var = new float[c];
        float[] newMean = new float[c];
        float[] newVar = new float[c];
        float[] y = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    s += x[base + i];
                }
            }
            double m = s / count;
            double ss = 0;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    double d = x[base + i] - m;
                    ss += d * d;
                }
            }
            double v = ss / count;
            double inv = 1.0 / Math.sqrt(v + eps);
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    y[base + i] = (float) ((x[base + i] - m) * inv * gamma[ch] + beta[ch]);
                }
            }
            mean[ch] = (float) m;
            var[ch] = (float) v;
            newMean[ch] = (float) ((1 - momentum) * runMean[ch] + momentum * m);
            newVar[ch] = (float) ((1 - momentum) * runVar[ch] + momentum * v * count / (count - 1));
        }
        return new float[][] {y, newMean, newVar, mean, var};
    }

    static float[] layerNorm(float[] x, Shape xs, float[] gamma, float[] beta, float eps) {
        int d = xs.dim(-1);
        int rows = x.length / d;
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = 0; i < d; i++) {
                s += x[r * d + i];
            }
            double m = s / d;
            double ss = 0;
            for (int i = 0; i < d; i++) {
                double t = x[r * d + i] - m;
                ss += t * t;
            }
            double inv = 1.0 / Math.sqrt(ss / d + eps);
            for (int i = 0; i < d; i++) {
                y[r * d + i] = (float) ((x[r * d + i] - m) * inv * gamma[i] + beta[i]);
            }
        }
        return y;
    }
}
