package dev.affect.engine.backend.reference;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.tensor.Shape;

/** Activations, PReLU and broadcasting binary ops. */
final class PointwiseKernels {
    private PointwiseKernels() {
    }

    static float[] activation(Activation op, float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = op.apply(x[i]);
        }
        return y;
    }

    static float prelu(float v, float slope) {
        return v >= 0f ? v : slope * v;
    }

    static float[] prelu(float[] x, Shape xs, float[] slopes) {
        int c = xs.dim(1);
        int inner = (int) (xs.numel() / xs.dim(0) / c);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = prelu(x[i], slopes[(i / inner) % c]);
        }
        return y;
    }

    static float[] binary(Binary.Kind kind, float[] a, Shape as, float[] b, Shape bs, Shape ys) {
        int rank = ys.rank();
        long[] aStr = broadcastStrides(Binary.padLeft(as, rank), ys);
        long[] bStr = broadcastStrides(Binary.padLeft(bs, rank), ys);
        float[] y = new float[(int) ys.numel()];
        for (int i = 0; i < y.length; i++) {
            int rem = i;
            long ai = 0;
            long bi = 0;
            for (int d = rank - 1; d >= 0; d--) {
                int idx = rem % ys.dim(d);
                rem /= ys.dim(d);
                ai += idx * aStr[d];
                bi += idx * bStr[d];
            }
            y[i] = kind.apply(a[(int) ai], b[(int) bi]);
        }
        return y;
    }

    /** Row-major strides of s (same rank as out), with 0 where s is broadcast along an axis of out. */
    static long[] broadcastStrides(Shape s, Shape out) {
        long[] str = new long[s.rank()];
        long acc = 1;
        for (int d = s.rank() - 1; d >= 0; d--) {
            str[d] = s.dim(d) == 1 && out.dim(d) != 1 ? 0 : acc;
            acc *= s.dim(d);
        }
        return str;
    }
}
