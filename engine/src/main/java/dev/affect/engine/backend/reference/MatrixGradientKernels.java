package dev.affect.engine.backend.reference;

import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.LstmBackward;
import dev.affect.engine.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/** Backward passes of Linear and of the LSTM (backpropagation through time), in double. */
final class MatrixGradientKernels {
    private MatrixGradientKernels() {
    }

    /** gx = gy w, gw = gy^T x over every leading row, and gb = the sum of gy's rows when there is a bias. */
    static float[][] linear(float[] x, Shape xs, float[] w, Shape ws, float[] gy, boolean bias) {
        int m = ws.dim(0);
        int k = ws.dim(1);
        int rows = (int) (xs.numel() / k);
        float[] gx = new float[x.length];
        double[] acc = new double[k];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(acc, 0);
            for (int j = 0; j < m; j++) {
                double g = gy[r * m + j];
                for (int i = 0; i < k; i++) {
                    acc[i] += g * w[j * k + i];
                }
            }
            for (int i = 0; i < k; i++) {
                gx[r * k + i] = (float) acc[i];
            }
        }
        float[] gw = new float[w.length];
        double[] gb = new double[m];
        for (int j = 0; j < m; j++) {
            Arrays.fill(acc, 0);
            for (int r = 0; r < rows; r++) {
                double g = gy[r * m + j];
                gb[j] += g;
                for (int i = 0; i < k; i++) {
                    acc[i] += g * x[r * k + i];
                }
            }
            for (int i = 0; i < k; i++) {
                gw[j * k + i] = (float) acc[i];
            }
        }
        return bias ? new float[][] {gx, gw, PointwiseGradientKernels.round(gb)} : new float[][] {gx, gw};
    }

    /**
     * BPTT of one batch-first LSTM layer: the forward is recomputed in double (gates i, f, g, o as
     * consecutive blocks of H rows), then walked back from t = T-1 with dh and dc starting at
     * gh_T and gc_T (zero when absent). Outputs gx, gh0, gc0, gw_ih, gw_hh, gb_ih, gb_hh.
     */
    static float[][] lstm(List<float[]> in, List<Shape> shapes) {
        Shape xs = shapes.get(Lstm.X);
        int n = xs.dim(0);
        int steps = xs.dim(1);
        int d = xs.dim(2);
        int hid = shapes.get(Lstm.H0).dim(1);
        float[] x = in.get(Lstm.X);
        float[] wih = in.get(Lstm.W_IH);
        float[] whh = in.get(Lstm.W_HH);
        float[] gy = in.get(LstmBackward.GY);
        Forward f = Forward.run(x, n, steps, d, hid, in.get(Lstm.H0), in.get(Lstm.C0), wih, whh, in.get(Lstm.B_IH),
                in.get(Lstm.B_HH));

        int state = n * hid;
        double[] dh = new double[state];
        double[] dc = new double[state];
        if (in.size() > LstmBackward.GH_T) {
            float[] ghT = in.get(LstmBackward.GH_T);
            float[] gcT = in.get(LstmBackward.GC_T);
            for (int i = 0; i < state; i++) {
                dh[i] = ghT[i];
                dc[i] = gcT[i];
            }
        }
        double[] gx = new double[x.length];
        double[] gwih = new double[wih.length];
        double[] gwhh = new double[whh.length];
        double[] gbias = new double[4 * hid];
        double[] da = new double[4 * hid];
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < n; b++) {
                int gateBase = (t * n + b) * 4 * hid;
                int now = ((t + 1) * n + b) * hid;
                int before = (t * n + b) * hid;
                for (int j = 0; j < hid; j++) {
                    double ig = f.gates[gateBase + j];
                    double fg = f.gates[gateBase + hid + j];
                    double gg = f.gates[gateBase + 2 * hid + j];
                    double og = f.gates[gateBase + 3 * hid + j];
                    double tc = Math.tanh(f.c[now + j]);
                    double dhj = gy[(b * steps + t) * hid + j] + dh[b * hid + j];
                    double dcj = dhj * og * (1 - tc * tc) + dc[b * hid + j];
                    da[j] = dcj * gg * ig * (1 - ig);
                    da[hid + j] = dcj * f.c[before + j] * fg * (1 - fg);
                    da[2 * hid + j] = dcj * ig * (1 - gg * gg);
                    da[3 * hid + j] = dhj * tc * og * (1 - og);
                    dc[b * hid + j] = dcj * fg;
                }
                int xOff = (b * steps + t) * d;
                Arrays.fill(dh, b * hid, (b + 1) * hid, 0);
                for (int r = 0; r < 4 * hid; r++) {
                    double g = da[r];
                    gbias[r] += g;
                    for (int i = 0; i < d; i++) {
                        gwih[r * d + i] += g * x[xOff + i];
                        gx[xOff + i] += g * wih[r * d + i];
                    }
                    for (int i = 0; i < hid; i++) {
                        gwhh[r * hid + i] += g * f.h[before + i];
                        dh[b * hid + i] += g * whh[r * hid + i];
                    }
                }
            }
        }
        float[] gb = PointwiseGradientKernels.round(gbias);
        return new float[][] {PointwiseGradientKernels.round(gx), PointwiseGradientKernels.round(dh),
            PointwiseGradientKernels.round(dc), PointwiseGradientKernels.round(gwih),
            PointwiseGradientKernels.round(gwhh), gb, gb.clone()};
    }

    /**
     * The forward pass kept for BPTT: post-activation gates per step [T, N, 4H], and h and c per step
     * [T+1, N, H] with h0 and c0 at step 0.
     */
    private record Forward(double[] gates, double[] h, double[] c) {
        static Forward run(float[] x, int n, int steps, int d, int hid, float[] h0, float[] c0, float[] wih,
                           float[] whh, float[] bih, float[] bhh) {
            double[] gates = new double[steps * n * 4 * hid];
            double[] h = new double[(steps + 1) * n * hid];
            double[] c = new double[(steps + 1) * n * hid];
            for (int i = 0; i < n * hid; i++) {
                h[i] = h0[i];
                c[i] = c0[i];
            }
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < n; b++) {
                    int xOff = (b * steps + t) * d;
                    int before = (t * n + b) * hid;
                    int now = ((t + 1) * n + b) * hid;
                    int gateBase = (t * n + b) * 4 * hid;
                    for (int r = 0; r < 4 * hid; r++) {
                        double s = (double) bih[r] + bhh[r];
                        for (int i = 0; i < d; i++) {
                            s += (double) wih[r * d + i] * x[xOff + i];
                        }
                        for (int i = 0; i < hid; i++) {
                            s += whh[r * hid + i] * h[before + i];
                        }
                        boolean cell = r >= 2 * hid && r < 3 * hid;
                        gates[gateBase + r] = cell ? Math.tanh(s) : 1.0 / (1.0 + Math.exp(-s));
                    }
                    for (int j = 0; j < hid; j++) {
                        double cn = gates[gateBase + hid + j] * c[before + j]
                                + gates[gateBase + j] * gates[gateBase + 2 * hid + j];
                        c[now + j] = cn;
                        h[now + j] = gates[gateBase + 3 * hid + j] * Math.tanh(cn);
                    }
                }
            }
            return new Forward(gates, h, c);
        }
    }
}
