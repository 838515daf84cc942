package dev.affect.engine.backend.reference;

import dev.affect.engine.graph.Slice;
import dev.affect.engine.graph.Upsample;
import dev.affect.engine.tensor.Shape;
import java.util.List;

/** Reductions and data movement: mean, softmax, transpose, concat, split, slice, gather, upsample. */
final class ShapeKernels {
    private ShapeKernels() {
    }

    /** Sizes before, along and after an axis. */
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

    static float[] mean(float[] x, Shape xs, int axis) {
        Axis a = Axis.of(xs, axis);
        float[] y = new float[a.outer * a.inner];
        for (int o = 0; o < a.outer; o++) {
            for (int in = 0; in < a.inner; in++) {
                float s = 0f;
                for (int k = 0; k < a.len; k++) {
                    s += x[(o * a.len + k) * a.inner + in];
                }
                y[o * a.inner + in] = s / a.len;
            }
        }
        return y;
    }

    static float[] softmax(float[] x, Shape xs, int axis) {
        Axis a = Axis.of(xs, axis);
        float[] y = new float[x.length];
        for (int o = 0; o < a.outer; o++) {
            for (int in = 0; in < a.inner; in++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < a.len; k++) {
                    max = Math.max(max, x[(o * a.len + k) * a.inner + in]);
                }
                double sum = 0;
                for (int k = 0; k < a.len; k++) {
                    sum += Math.exp(x[(o * a.len + k) * a.inner + in] - max);
                }
                for (int k = 0; k < a.len; k++) {
                    int i = (o * a.len + k) * a.inner + in;
                    y[i] = (float) (Math.exp(x[i] - max) / sum);
                }
            }
        }
        return y;
    }

    static float[] transpose(float[] x, Shape xs, int[] perm, Shape ys) {
        int rank = xs.rank();
        long[] inStr = new long[rank];
        long acc = 1;
        for (int d = rank - 1; d >= 0; d--) {
            inStr[d] = acc;
            acc *= xs.dim(d);
        }
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) {
            int rem = i;
            long src = 0;
            for (int d = rank - 1; d >= 0; d--) {
                int idx = rem % ys.dim(d);
                rem /= ys.dim(d);
                src += idx * inStr[perm[d]];
            }
            y[i] = x[(int) src];
        }
        return y;
    }

    static float[] concat(List<float[]> parts, List<Shape> shapes, int axis, Shape ys) {
        Axis out = Axis.of(ys, axis);
        float[] y = new float[(int) ys.numel()];
        int offset = 0;
        for (int p = 0; p < parts.size(); p++) {
            Axis a = Axis.of(shapes.get(p), axis);
            int chunk = a.len * a.inner;
            for (int o = 0; o < a.outer; o++) {
                System.arraycopy(parts.get(p), o * chunk, y, o * out.len * out.inner + offset * out.inner, chunk);
            }
            offset += a.len;
        }
        return y;
    }

    static float[][] split(float[] x, Shape xs, int axis, int[] sizes) {
        Axis a = Axis.of(xs, axis);
        float[][] out = new float[sizes.length][];
        int offset = 0;
        for (int p = 0; p < sizes.length; p++) {
            int chunk = sizes[p] * a.inner;
            out[p] = new float[a.outer * chunk];
            for (int o = 0; o < a.outer; o++) {
                System.arraycopy(x, (o * a.len + offset) * a.inner, out[p], o * chunk, chunk);
            }
            offset += sizes[p];
        }
        return out;
    }

    static float[] slice(float[] x, Shape xs, Slice op, Shape ys) {
        Axis a = Axis.of(xs, op.axis());
        int from = op.begin(a.len);
        int taken = ys.dim(op.axis() < 0 ? op.axis() + ys.rank() : op.axis());
        float[] y = new float[(int) ys.numel()];
        for (int o = 0; o < a.outer; o++) {
            for (int k = 0; k < taken; k++) {
                System.arraycopy(x, (o * a.len + from + k * op.step()) * a.inner, y, (o * taken + k) * a.inner, a.inner);
            }
        }
        return y;
    }

    static float[] gather(float[] x, Shape xs, float[] indices) {
        int n = xs.dim(0);
        int t = xs.dim(1);
        int row = (int) (xs.numel() / n / t);
        float[] y = new float[n * row];
        for (int b = 0; b < n; b++) {
            int idx = (int) indices[b];
            if (idx < 0 || idx >= t) {
                throw new dev.affect.engine.InvalidInputException("indices", "index " + idx + " of row " + b
                        + " is outside [0, " + t + ")");
            }
            System.arraycopy(x, (b * t + idx) * row, y, b * row, row);
        }
        return y;
    }

    static float[] upsample(float[] x, Shape xs, int sh, int sw) {
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        float[] y = new float[x.length * sh * sw];
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < h * sh; oy++) {
                for (int ox = 0; ox < w * sw; ox++) {
                    y[(p * h * sh + oy) * w * sw + ox] = x[(p * h + oy / sh) * w + ox / sw];
                }
            }
        }
        return y;
    }

    /** Nearest to an explicit size with torch's floor rule ({@link Upsample#sourceIndex}). */
    static float[] upsampleTo(float[] x, Shape xs, int oh, int ow) {
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int[] sx = new int[ow];
        for (int ox = 0; ox < ow; ox++) {
            sx[ox] = Upsample.sourceIndex(ox, w, ow);
        }
        float[] y = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int row = (p * h + Upsample.sourceIndex(oy, h, oh)) * w;
                for (int ox = 0; ox < ow; ox++) {
                    y[(p * oh + oy) * ow + ox] = x[row + sx[ox]];
                }
            }
        }
        return y;
    }
}
