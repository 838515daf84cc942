package dev.affect.engine.backend.reference;

import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.MatMul;
import dev.affect.engine.tensor.Shape;

/** Linear, batched matrix products and the LSTM recurrence. */
final class MatrixKernels {
    private MatrixKernels() {
    }

    /** y = x W^T + b over the last axis of x. */
    static float[] linear(float[] x, Shape xs, float[] w, Shape ws, float[] bias) {
        int k = ws.dim(1);
        int m = ws.dim(0);
        int rows = x.length / k;
        float[] y = new float[rows * m];
        for (int r = 0; r < rows; r++) {
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

    static float[] matmul(MatMul op, float[] a, Shape as, float[] b, Shape bs, Shape ys) {
        int rank = ys.rank();
        int m = ys.dim(-2);
        int n = ys.dim(-1);
        int k = op.transA() ? as.dim(-2) : as.dim(-1);
        Shape batch = MatMul.leading(ys);
        Shape aBatch = Binary.padLeft(MatMul.leading(as), rank - 2);
        Shape bBatch = Binary.padLeft(MatMul.leading(bs), rank - 2);
        long[] aStr = PointwiseKernels.broadcastStrides(aBatch, batch);
        long[] bStr = PointwiseKernels.broadcastStrides(bBatch, batch);
        int aMat = as.dim(-2) * as.dim(-1);
        int bMat = bs.dim(-2) * bs.dim(-1);
        float[] y = new float[(int) ys.numel()];
        int batches = (int) batch.numel();
        for (int t = 0; t < batches; t++) {
            int rem = t;
            long ai = 0;
            long bi = 0;
            for (int d = batch.rank() - 1; d >= 0; d--) {
                int idx = rem % batch.dim(d);
                rem /= batch.dim(d);
                ai += idx * aStr[d];
                bi += idx * bStr[d];
            }
            int aOff = (int) ai * aMat;
            int bOff = (int) bi * bMat;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        float av = op.transA() ? a[aOff + p * m + i] : a[aOff + i * k + p];
                        float bv = op.transB() ? b[bOff + j * k + p] : b[bOff + p * n + j];
                        s += av * bv;
                    }
                    y[(t * m + i) * n + j] = s;
                }
            }
        }
        return y;
    }

    /** torch.nn.LSTM, one layer, batch first: y [N,T,H], h_T, c_T. Gate rows i, f, g, o. */
    static float[][] lstm(float[] x, Shape xs, float[] h0, float[] c0, float[] wih, float[] whh, float[] bih, float[] bhh) {
        int n = xs.dim(0);
        int steps = xs.dim(1);
        int d = xs.dim(2);
        int hid = h0.length / n;
        float[] y = new float[n * steps * hid];
        float[] h = h0.clone();
        float[] c = c0.clone();
        float[] gates = new float[4 * hid];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < n; b++) {
                int xOff = (b * steps + t) * d;
                for (int g = 0; g < 4 * hid; g++) {
                    float s = bih[g] + bhh[g];
                    for (int i = 0; i < d; i++) {
                        s += wih[g * d + i] * x[xOff + i];
                    }
                    for (int i = 0; i < hid; i++) {
                        s += whh[g * hid + i] * h[b * hid + i];
                    }
                    gates[g] = s;
                }
                for (int j = 0; j < hid; j++) {
                    double ig = sigmoid(gates[j]);
                    double fg = sigmoid(gates[hid + j]);
                    double gg = Math.tanh(gates[2 * hid + j]);
                    double og = sigmoid(gates[3 * hid + j]);
                    float cn = (float) (fg * c[b * hid + j] + ig * gg);
                    c[b * hid + j] = cn;
                    h[b * hid + j] = (float) (og * Math.tanh(cn));
                }
            }
            for (int b = 0; b < n; b++) {
                System.arraycopy(h, b * hid, y, (b * steps + t) * hid, hid);
            }
        }
        return new float[][] {y, h, c};
    }

    private static double sigmoid(float v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
