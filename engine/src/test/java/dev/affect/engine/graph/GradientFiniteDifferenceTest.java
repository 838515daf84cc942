package dev.affect.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every gradient op of the reference backend against central differences of the reference's own
 * forward op. The loss is L = sum over the chosen forward outputs of gy * y for a random gy, so the
 * backward op's outputs are dL/d(operand); each is checked along random directions (every element,
 * for operands of at most {@value #ELEMENTWISE_MAX} values). Inputs are kept away from kinks and
 * ties by more than the step, where one-sided derivatives would differ from the difference quotient.
 */
class GradientFiniteDifferenceTest {
    private static final double STEP = 1e-2;
    private static final int ELEMENTWISE_MAX = 24;
    private static final int DIRECTIONS = 4;
    /**
     * Relative to 1 + |quotient|: the float32 forward's rounding divided by 2*STEP, plus DIV's
     * STEP^2 curvature term, stay below 3e-4 on these cases.
     */
    private static final double TOLERANCE = 1e-3;

    /** The gradients a backward op computes, keyed by the forward operand they belong to. */
    interface Backward {
        Map<Integer, Tensor> grads(List<Tensor> operands, List<Tensor> outputs, List<Tensor> gys);
    }

    /**
     * One check: the forward op and its operands, the operands to differentiate, the outputs the
     * loss reads, and the backward op(s) under test.
     */
    record Check(String name, Op forward, List<Tensor> operands, int[] wrt, int[] lossOutputs, Backward backward) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Check> checks() {
        Random rng = new Random(7);
        List<Check> checks = new ArrayList<>();
        convolutions(rng, checks);
        normalisations(rng, checks);
        pointwise(rng, checks);
        matrices(rng, checks);
        reductions(rng, checks);
        return checks.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void backwardMatchesCentralDifferences(Check c) {
        Random rng = new Random(c.name().hashCode());
        try (ReferenceGradientRunner forward = new ReferenceGradientRunner(c.forward(), c.operands().toArray(Tensor[]::new))) {
            List<Tensor> outputs = forward.run(c.operands().toArray(Tensor[]::new));
            List<Tensor> gys = new ArrayList<>();
            for (int k : c.lossOutputs()) {
                gys.add(gaussian(rng, outputs.get(k).shape()));
            }
            Map<Integer, Tensor> grads = c.backward().grads(c.operands(), outputs, gys);
            for (int wrt : c.wrt()) {
                Tensor grad = grads.get(wrt);
                Tensor operand = c.operands().get(wrt);
                assertEquals(operand.shape(), grad.shape(), c.name() + ": gradient of operand " + wrt);
                for (Direction dir : directions(rng, (int) operand.numel())) {
                    float[] v = dir.v();
                    double analytic = dot(grad.toFloatArray(), v);
                    double numeric = (loss(forward, c, gys, wrt, v, STEP) - loss(forward, c, gys, wrt, v, -STEP)) / (2 * STEP);
                    assertTrue(Math.abs(analytic - numeric) <= TOLERANCE * (1 + Math.abs(numeric)),
                            () -> c.name() + ": operand " + wrt + " along " + dir.label() + ": backward " + analytic
                                    + ", central difference " + numeric);
                }
            }
        }
    }

    /** L at the operands with operand {@code wrt} moved by step * v. */
    private static double loss(ReferenceGradientRunner forward, Check c, List<Tensor> gys, int wrt, float[] v, double step) {
        Tensor[] moved = c.operands().toArray(Tensor[]::new);
        float[] x = moved[wrt].toFloatArray();
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] + step * v[i]);
        }
        moved[wrt] = Tensor.of(x, moved[wrt].shape().dims());
        List<Tensor> outputs = forward.run(moved);
        double l = 0;
        for (int k = 0; k < gys.size(); k++) {
            l += dot(outputs.get(c.lossOutputs()[k]).toFloatArray(), gys.get(k).toFloatArray());
        }
        return l;
    }

    /** A direction to differentiate along, and how a failure names it. */
    private record Direction(String label, float[] v) {
    }

    /** Unit vectors for small operands, else random directions with entries in [-1, 1]. */
    private static List<Direction> directions(Random rng, int n) {
        List<Direction> dirs = new ArrayList<>();
        if (n <= ELEMENTWISE_MAX) {
            for (int i = 0; i < n; i++) {
                float[] e = new float[n];
                e[i] = 1f;
                dirs.add(new Direction("element " + i, e));
            }
            return dirs;
        }
        for (int d = 0; d < DIRECTIONS; d++) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = 2 * rng.nextFloat() - 1;
            }
            dirs.add(new Direction("random direction " + d, v));
        }
        return dirs;
    }

    private static Float[] boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    // ---- the checks ----

    private static void convolutions(Random rng, List<Check> checks) {
        int[][] convs = {
            // n, c, o, h, w, kh, kw, stride h, stride w, pad h, pad w, groups, bias
            {2, 3, 4, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1},
            {2, 4, 6, 8, 9, 3, 3, 2, 2, 1, 1, 2, 1},
            {1, 4, 4, 9, 8, 5, 5, 2, 2, 2, 2, 4, 0},
            {2, 3, 3, 5, 7, 1, 5, 1, 1, 0, 2, 3, 0},
            {2, 3, 3, 6, 4, 4, 1, 1, 1, 0, 0, 3, 1},
            {1, 5, 5, 7, 7, 7, 7, 1, 1, 0, 0, 5, 0},
            {2, 3, 5, 6, 7, 1, 1, 1, 2, 0, 0, 1, 1},
            {1, 2, 3, 7, 9, 3, 2, 2, 3, 1, 0, 1, 1}, // input column 8 is never read: its gradient is 0
        };
        for (int[] p : convs) {
            boolean bias = p[12] == 1;
            Conv2d conv = new Conv2d(p[7], p[8], p[9], p[10], p[11], bias);
            List<Tensor> ops = new ArrayList<>(List.of(gaussian(rng, Shape.of(p[0], p[1], p[3], p[4])),
                    gaussian(rng, Shape.of(p[2], p[1] / p[11], p[5], p[6]))));
            if (bias) {
                ops.add(gaussian(rng, Shape.of(p[2])));
            }
            checks.add(new Check("conv " + p[5] + "x" + p[6] + " " + conv.describe() + " " + ops.get(0).shape(), conv, ops,
                    bias ? new int[] {0, 1, 2} : new int[] {0, 1}, new int[] {0}, (in, out, gys) -> {
                        Map<Integer, Tensor> g = new LinkedHashMap<>();
                        g.put(0, ReferenceGradientRunner.runOnce(new Conv2dBackwardData(conv), gys.get(0), in.get(1),
                                in.get(0)).get(0));
                        List<Tensor> gw = ReferenceGradientRunner.runOnce(new Conv2dBackwardWeights(conv), in.get(0),
                                gys.get(0), in.get(1));
                        g.put(1, gw.get(0));
                        if (bias) {
                            g.put(2, gw.get(1));
                        }
                        return g;
                    }));
        }
    }

    private static void normalisations(Random rng, List<Check> checks) {
        for (Shape xs : List.of(Shape.of(3, 2, 4, 3), Shape.of(5, 3))) {
            Shape c = Shape.of(xs.dim(1));
            BatchNormTraining bn = BatchNormTraining.defaults();
            List<Tensor> ops = List.of(gaussian(rng, xs), gaussian(rng, c), uniform(rng, c, 0.5, 1.5),
                    uniform(rng, c, 0.5, 1.5), gaussian(rng, c));
            checks.add(new Check("batchnorm-train " + xs, bn, ops, new int[] {0, 3, 4}, new int[] {BatchNormTraining.Y},
                    (in, out, gys) -> {
                        List<Tensor> g = ReferenceGradientRunner.runOnce(new BatchNormTrainingBackward(bn.eps()), in.get(0),
                                gys.get(0), out.get(BatchNormTraining.BATCH_MEAN), out.get(BatchNormTraining.BATCH_VAR),
                                in.get(3));
                        return Map.of(0, g.get(0), 3, g.get(1), 4, g.get(2));
                    }));
        }
    }

    private static void pointwise(Random rng, List<Check> checks) {
        for (Activation.Kind kind : Activation.Kind.values()) {
            Activation act = new Activation(kind, 0.05f);
            Tensor x = awayFrom(gaussian(rng, Shape.of(2, 3, 5)).toFloatArray(), Shape.of(2, 3, 5), 2f, -3f, 0f, 3f);
            checks.add(new Check(act.describe(), act, List.of(x), new int[] {0}, new int[] {0},
                    (in, out, gys) -> Map.of(0, ReferenceGradientRunner.runOnce(new ActivationBackward(act), in.get(0),
                            gys.get(0)).get(0))));
        }
        for (Shape xs : List.of(Shape.of(2, 3, 4, 4), Shape.of(3, 5))) {
            Tensor x = awayFrom(gaussian(rng, xs).toFloatArray(), xs, 1f, 0f);
            checks.add(new Check("prelu " + xs, new PRelu(), List.of(x, uniform(rng, Shape.of(xs.dim(1)), 0.1, 0.4)),
                    new int[] {0, 1}, new int[] {0}, (in, out, gys) -> {
                        List<Tensor> g = ReferenceGradientRunner.runOnce(new PReluBackward(), in.get(0), in.get(1), gys.get(0));
                        return Map.of(0, g.get(0), 1, g.get(1));
                    }));
        }
        int[][][] pairs = {
            {{2, 3, 4}, {2, 3, 4}},
            {{2, 3, 4}, {3, 1}},
            {{4, 1, 3}, {2, 1}},
            {{1}, {2, 3}},
            {{2, 1, 3, 1}, {1, 4, 1, 2}},
        };
        for (Binary.Kind kind : Binary.Kind.values()) {
            for (int[][] p : pairs) {
                Shape as = Shape.of(p[0]);
                Shape bs = Shape.of(p[1]);
                // a on even and b on odd multiples of 0.1: MAX/MIN never tie, DIV never sees 0
                Tensor a = lattice(rng, as, 0.0);
                Tensor b = kind == Binary.Kind.DIV ? signed(rng, bs, 0.5, 2) : lattice(rng, bs, 0.1);
                checks.add(new Check(kind.name().toLowerCase() + " " + as + " " + bs, new Binary(kind), List.of(a, b),
                        new int[] {0, 1}, new int[] {0}, (in, out, gys) -> {
                            List<Tensor> g = ReferenceGradientRunner.runOnce(new BinaryBackward(kind), in.get(0), in.get(1),
                                    gys.get(0));
                            return Map.of(0, g.get(0), 1, g.get(1));
                        }));
            }
        }
    }

    private static void matrices(Random rng, List<Check> checks) {
        for (Object[] p : new Object[][] {{Shape.of(5, 7), 6, true}, {Shape.of(2, 3, 4), 5, false}, {Shape.of(1, 3), 1, true}}) {
            Shape xs = (Shape) p[0];
            int m = (int) p[1];
            boolean bias = (boolean) p[2];
            List<Tensor> ops = new ArrayList<>(List.of(gaussian(rng, xs), gaussian(rng, Shape.of(m, xs.dim(-1)))));
            if (bias) {
                ops.add(gaussian(rng, Shape.of(m)));
            }
            checks.add(new Check("linear " + xs + "->" + m + (bias ? "+bias" : ""), new Linear(bias), ops,
                    bias ? new int[] {0, 1, 2} : new int[] {0, 1}, new int[] {0}, (in, out, gys) -> {
                        List<Tensor> g = ReferenceGradientRunner.runOnce(new LinearBackward(bias), in.get(0), in.get(1),
                                gys.get(0));
                        Map<Integer, Tensor> byOperand = new LinkedHashMap<>();
                        for (int i = 0; i < g.size(); i++) {
                            byOperand.put(i, g.get(i));
                        }
                        return byOperand;
                    }));
        }
        for (boolean finalState : new boolean[] {false, true}) {
            int n = 2;
            int t = 3;
            int d = 4;
            int h = 3;
            List<Tensor> ops = List.of(gaussian(rng, Shape.of(n, t, d)), scaled(rng, Shape.of(n, h), 0.5),
                    scaled(rng, Shape.of(n, h), 0.5), scaled(rng, Shape.of(4 * h, d), 0.5),
                    scaled(rng, Shape.of(4 * h, h), 0.5), scaled(rng, Shape.of(4 * h), 0.5), scaled(rng, Shape.of(4 * h), 0.5));
            checks.add(new Check("lstm" + (finalState ? " with gh_T, gc_T" : " sequence only"), new Lstm(), ops,
                    new int[] {0, 1, 2, 3, 4, 5, 6}, finalState ? new int[] {0, 1, 2} : new int[] {0}, (in, out, gys) -> {
                        List<Tensor> bw = new ArrayList<>(in);
                        bw.addAll(gys);
                        List<Tensor> g = ReferenceGradientRunner.runOnce(new LstmBackward(), bw.toArray(Tensor[]::new));
                        Map<Integer, Tensor> byOperand = new LinkedHashMap<>();
                        for (int i = 0; i < 7; i++) {
                            byOperand.put(i, g.get(i));
                        }
                        return byOperand;
                    }));
        }
    }

    private static void reductions(Random rng, List<Check> checks) {
        Shape xs = Shape.of(2, 3, 4, 5);
        for (int axis : new int[] {0, 1, 2, 3, -1}) {
            checks.add(new Check("mean" + axis + " " + xs, new Mean(axis), List.of(gaussian(rng, xs)), new int[] {0},
                    new int[] {0}, (in, out, gys) -> Map.of(0, ReferenceGradientRunner.runOnce(new MeanBackward(axis),
                            gys.get(0), in.get(0)).get(0))));
        }
        Shape ss = Shape.of(3, 4, 5);
        for (int axis : new int[] {0, 1, -1}) {
            checks.add(new Check("softmax" + axis + " " + ss, new Softmax(axis), List.of(gaussian(rng, ss)), new int[] {0},
                    new int[] {0}, (in, out, gys) -> Map.of(0, ReferenceGradientRunner.runOnce(new SoftmaxBackward(axis),
                            out.get(0), gys.get(0)).get(0))));
        }
    }

    // ---- kinks and ties, which finite differences cannot see ----

    @Test
    void maxAndMinSplitTiesInHalf() {
        Tensor a = Tensor.of(new float[] {1f, 2f, 3f}, 3);
        Tensor b = Tensor.of(new float[] {1f, 5f, 0f}, 3);
        Tensor gy = Tensor.of(new float[] {4f, 4f, 4f}, 3);
        List<Tensor> max = ReferenceGradientRunner.runOnce(new BinaryBackward(Binary.Kind.MAX), a, b, gy);
        assertEquals(List.of(2f, 0f, 4f), floats(max.get(0)));
        assertEquals(List.of(2f, 4f, 0f), floats(max.get(1)));
        List<Tensor> min = ReferenceGradientRunner.runOnce(new BinaryBackward(Binary.Kind.MIN), a, b, gy);
        assertEquals(List.of(2f, 4f, 0f), floats(min.get(0)));
        assertEquals(List.of(2f, 0f, 4f), floats(min.get(1)));
    }

    @Test
    void broadcastTiesAccumulateIntoTheBroadcastOperand() {
        Tensor a = Tensor.of(new float[] {1f, 1f, 2f}, 3);
        Tensor b = Tensor.of(new float[] {1f}, 1);
        Tensor gy = Tensor.of(new float[] {2f, 2f, 2f}, 3);
        List<Tensor> max = ReferenceGradientRunner.runOnce(new BinaryBackward(Binary.Kind.MAX), a, b, gy);
        assertEquals(List.of(1f, 1f, 2f), floats(max.get(0)));
        assertEquals(List.of(2f), floats(max.get(1)));
    }

    @Test
    void kinksTakeTorchsOneSidedDerivatives() {
        Tensor x = Tensor.of(new float[] {-3f, 0f, 3f}, 3);
        Tensor gy = Tensor.of(new float[] {1f, 1f, 1f}, 3);
        assertEquals(List.of(0f, 0f, 1f), floats(ReferenceGradientRunner.runOnce(
                new ActivationBackward(Activation.of(Activation.Kind.RELU)), x, gy).get(0)));
        // h-swish: relu6 contributes no gradient at x+3 = 0 or 6; (2x+3)/6 = 0.5 at 0
        assertEquals(List.of(0f, 0.5f, 1f), floats(ReferenceGradientRunner.runOnce(
                new ActivationBackward(Activation.of(Activation.Kind.HSWISH)), x, gy).get(0)));
        assertEquals(List.of(0.1f, 0.1f, 1f), floats(ReferenceGradientRunner.runOnce(
                new ActivationBackward(Activation.leakyRelu(0.1f)), x, gy).get(0)));
        Tensor px = Tensor.of(new float[] {0f, -2f, 2f}, 1, 3);
        List<Tensor> prelu = ReferenceGradientRunner.runOnce(new PReluBackward(), px, Tensor.of(new float[] {0.25f, 0.25f,
            0.25f}, 3), Tensor.of(new float[] {1f, 1f, 1f}, 1, 3));
        assertEquals(List.of(0.25f, 0.25f, 1f), floats(prelu.get(0)));
        assertEquals(List.of(0f, -2f, 0f), floats(prelu.get(1)));
    }

    private static List<Float> floats(Tensor t) {
        return Arrays.asList(boxed(t.toFloatArray()));
    }

    // ---- operands ----

    private static Tensor gaussian(Random rng, Shape s) {
        return generate(s, () -> rng.nextGaussian());
    }

    private static Tensor scaled(Random rng, Shape s, double scale) {
        return generate(s, () -> scale * rng.nextGaussian());
    }

    private static Tensor uniform(Random rng, Shape s, double lo, double hi) {
        return generate(s, () -> lo + (hi - lo) * rng.nextDouble());
    }

    /** Magnitudes in [lo, hi), either sign. */
    private static Tensor signed(Random rng, Shape s, double lo, double hi) {
        return generate(s, () -> (rng.nextBoolean() ? 1 : -1) * (lo + (hi - lo) * rng.nextDouble()));
    }

    /** Multiples of 0.2 in [-2, 2], plus an offset. */
    private static Tensor lattice(Random rng, Shape s, double offset) {
        return generate(s, () -> 0.2 * (rng.nextInt(21) - 10) + offset);
    }

    private static Tensor generate(Shape s, java.util.function.DoubleSupplier value) {
        float[] v = new float[(int) s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) value.getAsDouble();
        }
        return Tensor.of(v, s.dims());
    }

    /** x scaled, with every value within 0.05 of a kink pushed 0.1 past it. */
    private static Tensor awayFrom(float[] x, Shape s, float scale, float... kinks) {
        DoubleUnaryOperator push = v -> {
            for (float k : kinks) {
                if (Math.abs(v - k) < 0.05) {
                    return k + (v >= k ? 0.1 : -0.1);
                }
            }
            return v;
        };
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) push.applyAsDouble(x[i] * scale);
        }
        return Tensor.of(y, s.dims());
    }
}
