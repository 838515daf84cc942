package dev.affect.engine.backend.reference;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Erf;
import dev.affect.engine.tensor.Shape;

/** Backward passes of activations, PReLU and broadcasting binary ops, in double. */
final class PointwiseGradientKernels {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
    private static final double GELU_TANH_CUBIC = 0.044715;
    private static final double QUICK_GELU_SCALE = 1.702;

    private PointwiseGradientKernels() {
    }

    static float[] activation(Activation op, float[] x, float[] gy) {
        float[] gx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            gx[i] = (float) (gy[i] * derivative(op, x[i]));
        }
        return gx;
    }

    /** f'(x), with torch's one-sided choices at the kinks. */
    static double derivative(Activation op, float x) {
        return switch (op.kind()) {
            case RELU -> x > 0f ? 1 : 0;
            case SIGMOID -> {
                double s = sigmoid(x);
                yield s * (1 - s);
            }
            case TANH -> {
                double t = Math.tanh(x);
                yield 1 - t * t;
            }
            // h-swish as DDAMFN writes it, x * relu6(x + 3) / 6, differentiated as a product;
            // relu6's gradient is 0 at both its kinks, as torch's hardtanh backward
            case HSWISH -> {
                float shifted = x + 3f;
                double relu6 = Math.min(Math.max(shifted, 0f), 6f);
                yield relu6 / 6 + (shifted > 0f && shifted < 6f ? x / 6.0 : 0);
            }
            case LEAKY_RELU -> x > 0f ? 1 : op.alpha();
            case GELU_ERF -> 0.5 * (1 + Erf.erf(x / Math.sqrt(2.0))) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case GELU_TANH -> {
                double t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_CUBIC * x * x);
            }
            case QUICK_GELU -> {
                double s = sigmoid(QUICK_GELU_SCALE * x);
                yield s + QUICK_GELU_SCALE * x * s * (1 - s);
            }
        };
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /** gx = gy where x > 0, else gy * slope; gslope[c] = sum of gy * x where x <= 0. */
    static float[][] prelu(float[] x, Shape xs, float[] slopes, float[] gy) {
        int c = xs.dim(1);
        int inner = (int) (xs.numel() / xs.dim(0) / c);
        float[] gx = new float[x.length];
        double[] gs = new double[c];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / inner) % c;
            if (x[i] > 0f) {
                gx[i] = gy[i];
            } else {
                gx[i] = (float) ((double) gy[i] * slopes[ch]);
                gs[ch] += (double) gy[i] * x[i];
            }
        }
        return new float[][] {gx, round(gs)};
    }

    /**
     * ga and gb of a broadcasting binary op: each element's partial derivatives times gy, summed
     * into the operand element it was read from (so broadcast axes are reduced).
     */
    static float[][] binary(Binary.Kind kind, float[] a, Shape as, float[] b, Shape bs, float[] gy, Shape ys) {
        int rank = ys.rank();
        long[] aStr = PointwiseKernels.broadcastStrides(Binary.padLeft(as, rank), ys);
        long[] bStr = PointwiseKernels.broadcastStrides(Binary.padLeft(bs, rank), ys);
        double[] ga = new double[a.length];
        double[] gb = new double[b.length];
        for (int i = 0; i < gy.length; i++) {
            int rem = i;
            long ai = 0;
            long bi = 0;
            for (int d = rank - 1; d >= 0; d--) {
                int idx = rem % ys.dim(d);
                rem /= ys.dim(d);
                ai += idx * aStr[d];
                bi += idx * bStr[d];
            }
            double av = a[(int) ai];
            double bv = b[(int) bi];
            double g = gy[i];
            switch (kind) {
                case ADD -> {
                    ga[(int) ai] += g;
                    gb[(int) bi] += g;
                }
                case SUB -> {
                    ga[(int) ai] += g;
                    gb[(int) bi] -= g;
                }
                case MUL -> {
                    ga[(int) ai] += g * bv;
                    gb[(int) bi] += g * av;
                }
                case DIV -> {
                    ga[(int) ai] += g / bv;
                    gb[(int) bi] -= g * av / (bv * bv);
                }
                case MAX, MIN -> {
                    // the winner takes gy; a tie splits it in half, as torch.maximum/minimum
                    double share = av == bv ? 0.5 : (av > bv) == (kind == Binary.Kind.MAX) ? 1 : 0;
                    ga[(int) ai] += g * share;
                    gb[(int) bi] += g * (1 - share);
                }
            }
        }
        return new float[][] {round(ga), round(gb)};
    }

    static float[] round(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
