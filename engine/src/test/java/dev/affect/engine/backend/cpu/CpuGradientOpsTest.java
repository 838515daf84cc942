package dev.affect.engine.backend.cpu;

import static dev.affect.engine.backend.cpu.GradientRuns.assertWithin;
import static dev.affect.engine.backend.cpu.GradientRuns.runTwice;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.ActivationBackward;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.BinaryBackward;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.LstmBackward;
import dev.affect.engine.graph.MeanBackward;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cpu backend's backward ops that the fixtures do not cover (broadcasting binaries, Mean, the
 * kinks of ReLU and h-swish, LSTM with initial states and state gradients) against double-precision
 * computations written here; every executable runs twice.
 */
class CpuGradientOpsTest {
    private static final double TOL = 1e-4;

    @BeforeEach
    void needsCpu() {
        RequiredBackend.require("cpu");
    }

    /** Index arithmetic of NumPy broadcasting over row-major tensors. */
    private static int broadcastIndex(Shape operand, Shape out, int flat) {
        int rank = out.rank();
        Shape p = Binary.padLeft(operand, rank);
        int index = 0;
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int coord = flat % out.dim(d);
            flat /= out.dim(d);
            if (p.dim(d) != 1) {
                index += coord * stride;
            }
            stride *= p.dim(d);
        }
        return index;
    }

    /** Small integers, so that MAX and MIN meet ties. */
    private static Tensor ints(Random rng, Shape s) {
        float[] v = new float[(int) s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(5) - 2 + (rng.nextBoolean() ? 0.5f : 1f);
        }
        return Tensor.of(v, s.dims());
    }

    @ParameterizedTest
    @EnumSource(Binary.Kind.class)
    void binaryBackwardSumsOverBroadcastAxes(Binary.Kind kind) {
        int[][][] pairs = {
            {{2, 3, 4, 5}, {2, 3, 4, 5}},
            {{2, 3, 4, 5}, {1, 3, 1, 1}},
            {{2, 3, 4, 5}, {2, 3, 4, 1}},
            {{2, 3, 4, 5}, {2, 3, 1, 5}},
            {{1, 3, 1, 1}, {2, 3, 4, 5}},
            {{2, 3, 4, 5}, {5}},
            {{3, 1}, {1, 4}},
            {{6, 7}, {6, 7}},
        };
        Random rng = new Random(kind.ordinal());
        for (int[][] pair : pairs) {
            Shape sa = Shape.of(pair[0]);
            Shape sb = Shape.of(pair[1]);
            Shape sy = Binary.broadcast(sa, sb);
            Tensor a = ints(rng, sa);
            Tensor b = ints(rng, sb);
            if (kind == Binary.Kind.DIV) {
                b = GraphRuns.uniform(rng, 0.5f, 2f, pair[1]);
            }
            Tensor gy = GraphRuns.gaussian(rng, 1f, sy.dims());
            GraphBuilder g = new GraphBuilder();
            List<Value> out = g.addMulti(new BinaryBackward(kind), List.of("ga", "gb"), g.input("a", TensorType.of(a.dtype(), sa)),
                    g.input("b", TensorType.of(b.dtype(), sb)), g.input("gy", TensorType.of(gy.dtype(), sy)));
            g.output("ga", out.get(0)).output("gb", out.get(1));
            Map<String, Tensor> got;
            try (ParameterStore store = new ParameterStore()) {
                got = runTwice(g.build(), store, Map.of("a", a, "b", b, "gy", gy));
            }
            double[] ga = new double[(int) sa.numel()];
            double[] gb = new double[(int) sb.numel()];
            float[] av = a.toFloatArray();
            float[] bv = b.toFloatArray();
            float[] gv = gy.toFloatArray();
            for (int i = 0; i < gv.length; i++) {
                int ia = broadcastIndex(sa, sy, i);
                int ib = broadcastIndex(sb, sy, i);
                double x = av[ia];
                double y = bv[ib];
                double gr = gv[i];
                double[] d = switch (kind) {
                    case ADD -> new double[] {gr, gr};
                    case SUB -> new double[] {gr, -gr};
                    case MUL -> new double[] {gr * y, gr * x};
                    case DIV -> new double[] {gr / y, -gr * x / (y * y)};
                    case MAX -> x == y ? new double[] {gr / 2, gr / 2} : x > y ? new double[] {gr, 0} : new double[] {0, gr};
                    case MIN -> x == y ? new double[] {gr / 2, gr / 2} : x < y ? new double[] {gr, 0} : new double[] {0, gr};
                };
                ga[ia] += d[0];
                gb[ib] += d[1];
            }
            String what = kind + " " + sa + " with " + sb;
            assertWithin(Tensor.of(toFloat(ga), sa.dims()), got.get("ga"), 1e-5, TOL, what + " ga");
            assertWithin(Tensor.of(toFloat(gb), sb.dims()), got.get("gb"), 1e-5, TOL, what + " gb");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, -1})
    void meanBackwardSpreadsGyOverTheAxis(int axis) {
        Shape xs = Shape.of(2, 16, 5, 7);
        int ax = axis < 0 ? axis + xs.rank() : axis;
        int[] yd = xs.dims();
        yd[ax] = 1;
        Shape ys = Shape.of(yd);
        Random rng = new Random(axis + 10);
        Tensor gy = GraphRuns.gaussian(rng, 1f, yd);
        GraphBuilder g = new GraphBuilder();
        g.output("gx", g.add(new MeanBackward(axis), "gx", g.input("gy", TensorType.of(gy.dtype(), ys)),
                g.input("x", TensorType.of(gy.dtype(), xs))));
        Map<String, Tensor> got;
        try (ParameterStore store = new ParameterStore()) {
            got = runTwice(g.build(), store, Map.of("gy", gy, "x", Tensor.zeros(gy.dtype(), xs)));
        }
        float[] expected = new float[(int) xs.numel()];
        float[] gv = gy.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) ((double) gv[broadcastIndex(ys, xs, i)] / xs.dim(ax));
        }
        assertWithin(Tensor.of(expected, xs.dims()), got.get("gx"), 1e-6, 1e-5, "mean" + axis);
    }

    /** torch's one-sided derivatives: ReLU' (0) = 0; h-swish (relu6 based) has 0 at -3 and 1 at 3. */
    @Test
    void activationKinksFollowTorch() {
        float[] x = {-4f, -3f, -1.5f, -0f, 0f, 0.5f, 3f, 4f};
        float[] gy = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f};
        Map<Activation.Kind, float[]> expected = new LinkedHashMap<>();
        float[] relu = new float[x.length];
        float[] hswish = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            relu[i] = x[i] > 0 ? gy[i] : 0f;
            double d = x[i] <= -3 ? 0 : x[i] >= 3 ? 1 : (2 * x[i] + 3) / 6.0; // relu6(x+3)/6 + x*relu6'(x+3)/6
            hswish[i] = (float) (gy[i] * d);
        }
        expected.put(Activation.Kind.RELU, relu);
        expected.put(Activation.Kind.HSWISH, hswish);
        expected.forEach((kind, want) -> {
            GraphBuilder g = new GraphBuilder();
            g.output("gx", g.add(new ActivationBackward(Activation.of(kind)), "gx", g.input("x", TensorType.f32(2, 4)),
                    g.input("gy", TensorType.f32(2, 4))));
            try (ParameterStore store = new ParameterStore()) {
                Map<String, Tensor> got = runTwice(g.build(), store, Map.of("x", Tensor.of(x, 2, 4), "gy", Tensor.of(gy, 2, 4)));
                assertWithin(Tensor.of(want, 2, 4), got.get("gx"), 1e-6, 1e-6, kind.name());
            }
        });
    }

    /** Non-zero h0/c0 and gradients on h_T/c_T (the 10-input form) against BPTT in double. */
    @Test
    void lstmBackwardWithStatesMatchesBptt() {
        int n = 3;
        int steps = 5;
        int d = 6;
        int h = 4;
        Random rng = new Random(3);
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("x", GraphRuns.gaussian(rng, 1f, n, steps, d));
        in.put("h0", GraphRuns.gaussian(rng, 0.5f, n, h));
        in.put("c0", GraphRuns.gaussian(rng, 0.5f, n, h));
        in.put("gy", GraphRuns.gaussian(rng, 1f, n, steps, h));
        in.put("ghT", GraphRuns.gaussian(rng, 1f, n, h));
        in.put("gcT", GraphRuns.gaussian(rng, 1f, n, h));
        try (ParameterStore store = new ParameterStore()) {
            store.put("wih", GraphRuns.gaussian(rng, 0.4f, 4 * h, d));
            store.put("whh", GraphRuns.gaussian(rng, 0.4f, 4 * h, h));
            store.put("bih", GraphRuns.gaussian(rng, 0.2f, 4 * h));
            store.put("bhh", GraphRuns.gaussian(rng, 0.2f, 4 * h));
            GraphBuilder g = new GraphBuilder();
            Value[] v = new Value[10];
            String[] names = {"x", "h0", "c0", "wih", "whh", "bih", "bhh", "gy", "ghT", "gcT"};
            for (int i = 0; i < names.length; i++) {
                v[i] = store.contains(names[i]) ? g.parameter(names[i], store.get(names[i]).shape())
                        : g.input(names[i], TensorType.of(in.get(names[i]).dtype(), in.get(names[i]).shape()));
            }
            List<String> outs = List.of("gx", "gh0", "gc0", "gwih", "gwhh", "gbih", "gbhh");
            List<Value> grads = g.addMulti(new LstmBackward(), outs, v);
            for (int i = 0; i < outs.size(); i++) {
                g.output(outs.get(i), grads.get(i));
            }
            Map<String, Tensor> got = runTwice(g.build(), store, in);
            Map<String, double[]> want = bptt(in, store, n, steps, d, h);
            for (String o : outs) {
                assertWithin(Tensor.of(toFloat(want.get(o)), got.get(o).shape().dims()), got.get(o), 1e-5, TOL, "lstm " + o);
            }
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** torch's LSTM (gates i, f, g, o in row blocks) forward and backward through time, in double. */
    private static Map<String, double[]> bptt(Map<String, Tensor> in, ParameterStore p, int n, int steps, int d, int h) {
        float[] x = in.get("x").toFloatArray();
        float[] gy = in.get("gy").toFloatArray();
        float[] wih = p.get("wih").toFloatArray();
        float[] whh = p.get("whh").toFloatArray();
        float[] bih = p.get("bih").toFloatArray();
        float[] bhh = p.get("bhh").toFloatArray();
        double[] gx = new double[n * steps * d];
        double[] gwih = new double[4 * h * d];
        double[] gwhh = new double[4 * h * h];
        double[] gb = new double[4 * h];
        double[] gh0 = new double[n * h];
        double[] gc0 = new double[n * h];
        for (int b = 0; b < n; b++) {
            double[][] hs = new double[steps + 1][h];
            double[][] cs = new double[steps + 1][h];
            double[][] gates = new double[steps][4 * h];
            for (int j = 0; j < h; j++) {
                hs[0][j] = in.get("h0").toFloatArray()[b * h + j];
                cs[0][j] = in.get("c0").toFloatArray()[b * h + j];
            }
            for (int t = 0; t < steps; t++) {
                for (int r = 0; r < 4 * h; r++) {
                    double a = bih[r] + bhh[r];
                    for (int k = 0; k < d; k++) {
                        a += wih[r * d + k] * x[(b * steps + t) * d + k];
                    }
                    for (int k = 0; k < h; k++) {
                        a += whh[r * h + k] * hs[t][k];
                    }
                    gates[t][r] = r / h == 2 ? Math.tanh(a) : sigmoid(a);
                }
                for (int j = 0; j < h; j++) {
                    cs[t + 1][j] = gates[t][h + j] * cs[t][j] + gates[t][j] * gates[t][2 * h + j];
                    hs[t + 1][j] = gates[t][3 * h + j] * Math.tanh(cs[t + 1][j]);
                }
            }
            double[] dhNext = new double[h];
            double[] dcNext = new double[h];
            for (int j = 0; j < h; j++) {
                dhNext[j] = in.get("ghT").toFloatArray()[b * h + j];
                dcNext[j] = in.get("gcT").toFloatArray()[b * h + j];
            }
            for (int t = steps - 1; t >= 0; t--) {
                double[] da = new double[4 * h];
                for (int j = 0; j < h; j++) {
                    double i = gates[t][j];
                    double f = gates[t][h + j];
                    double gg = gates[t][2 * h + j];
                    double o = gates[t][3 * h + j];
                    double tc = Math.tanh(cs[t + 1][j]);
                    double dh = gy[(b * steps + t) * h + j] + dhNext[j];
                    double dc = dh * o * (1 - tc * tc) + dcNext[j];
                    da[j] = dc * gg * i * (1 - i);
                    da[h + j] = dc * cs[t][j] * f * (1 - f);
                    da[2 * h + j] = dc * i * (1 - gg * gg);
                    da[3 * h + j] = dh * tc * o * (1 - o);
                    dcNext[j] = dc * f;
                }
                java.util.Arrays.fill(dhNext, 0);
                for (int r = 0; r < 4 * h; r++) {
                    gb[r] += da[r];
                    for (int k = 0; k < d; k++) {
                        gwih[r * d + k] += da[r] * x[(b * steps + t) * d + k];
                        gx[(b * steps + t) * d + k] += da[r] * wih[r * d + k];
                    }
                    for (int k = 0; k < h; k++) {
                        gwhh[r * h + k] += da[r] * hs[t][k];
                        dhNext[k] += da[r] * whh[r * h + k];
                    }
                }
            }
            System.arraycopy(dhNext, 0, gh0, b * h, h);
            System.arraycopy(dcNext, 0, gc0, b * h, h);
        }
        return Map.of("gx", gx, "gh0", gh0, "gc0", gc0, "gwih", gwih, "gwhh", gwhh, "gbih", gb, "gbhh", gb);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
