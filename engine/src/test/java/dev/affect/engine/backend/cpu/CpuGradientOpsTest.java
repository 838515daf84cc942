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

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
