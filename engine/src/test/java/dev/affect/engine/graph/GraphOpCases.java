package dev.affect.engine.graph;

import static dev.affect.engine.graph.GraphOpCase.gaussian;
import static dev.affect.engine.graph.GraphOpCase.in;
import static dev.affect.engine.graph.GraphOpCase.param;
import static dev.affect.engine.graph.GraphOpCase.uniform;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The conformance catalogue of the graph IR: every op, canonical and fused, on awkward shapes (odd
 * sizes, size 1, stride 2, padding, groups = channels, kernels 1/3/5/7/9, 1x7 and 7x1, broadcasting
 * across ranks, negative axes, transposed and broadcast matmuls, LSTM with non-zero state).
 */
public final class GraphOpCases {
    public static final double CONV_TOL = 1e-4;
    public static final double POINTWISE_TOL = 1e-5;

    private GraphOpCases() {
    }

    public static List<GraphOpCase> all() {
        Random rng = new Random(42);
        List<GraphOpCase> cases = new ArrayList<>();
        convolutions(rng, cases);
        normalisations(rng, cases);
        pointwise(rng, cases);
        matrices(rng, cases);
        dataMovement(rng, cases);
        gradients(new Random(43), cases);
        return cases;
    }

    private static void convolutions(Random rng, List<GraphOpCase> cases) {
        int[][] convs = {
            // c, o, h, w, kh, kw, stride, pad h, pad w, groups
            {3, 16, 17, 15, 3, 3, 2, 1, 1, 1},
            {5, 7, 9, 11, 1, 1, 1, 0, 0, 1},
            {16, 16, 13, 13, 3, 3, 1, 1, 1, 16},
            {16, 16, 14, 14, 5, 5, 2, 2, 2, 16},
            {24, 24, 14, 14, 7, 7, 2, 3, 3, 24},
            {32, 32, 7, 7, 9, 9, 1, 4, 4, 32},
            {17, 17, 7, 7, 1, 7, 1, 0, 0, 17},
            {17, 17, 7, 7, 7, 1, 1, 0, 0, 17},
            {8, 12, 10, 9, 3, 3, 1, 1, 1, 2},
            {7, 3, 1, 1, 1, 1, 1, 0, 0, 1},
        };
        for (int[] c : convs) {
            for (int batch : new int[] {1, 3}) {
                boolean bias = batch == 3;
                Conv2d op = new Conv2d(c[6], c[6], c[7], c[8], c[9], bias);
                GraphOpCase.Operand x = in(gaussian(rng, batch, c[0], c[2], c[3]));
                GraphOpCase.Operand w = param(gaussian(rng, c[1], c[0] / c[9], c[4], c[5]));
                cases.add(bias ? GraphOpCase.of("conv " + c[4] + "x" + c[5] + " " + op.describe() + " n" + batch, op, CONV_TOL,
                                x, w, param(gaussian(rng, c[1])))
                        : GraphOpCase.of("conv " + c[4] + "x" + c[5] + " " + op.describe() + " n" + batch, op, CONV_TOL, x, w));
            }
        }
        // fused epilogues: every activation and PReLU, each with and without a residual
        List<String> epilogues = new ArrayList<>();
        for (Activation.Kind k : Activation.Kind.values()) {
            epilogues.add(k.name());
        }
        epilogues.add(FusedConv2d.PRELU);
        for (String act : epilogues) {
            for (boolean residual : new boolean[] {false, true}) {
                FusedConv2d op = new FusedConv2d(1, 1, 1, 1, 1, act, 0.1f, residual);
                List<GraphOpCase.Operand> ops = new ArrayList<>(List.of(in(gaussian(rng, 2, 16, 9, 7)),
                        param(gaussian(rng, 16, 16, 3, 3)), param(gaussian(rng, 16))));
                if (op.isPrelu()) {
                    ops.add(param(uniform(rng, 0.1f, 0.4f, 16)));
                }
                if (residual) {
                    ops.add(in(gaussian(rng, 2, 16, 9, 7)));
                }
                cases.add(GraphOpCase.of(op.describe(), op, CONV_TOL, ops.toArray(GraphOpCase.Operand[]::new)));
            }
        }
        FusedConv2d dw = new FusedConv2d(2, 2, 2, 2, 24, FusedConv2d.PRELU, 0f, false);
        cases.add(GraphOpCase.of(dw.describe() + " depthwise 5x5", dw, CONV_TOL, in(gaussian(rng, 3, 24, 15, 13)),
                param(gaussian(rng, 24, 1, 5, 5)), param(gaussian(rng, 24)), param(uniform(rng, 0.1f, 0.4f, 24))));
    }

    private static void normalisations(Random rng, List<GraphOpCase> cases) {
        for (int[] x : new int[][] {{3, 5, 4, 3}, {2, 7}, {1, 6, 1, 9}}) {
            int c = x[1];
            cases.add(GraphOpCase.of("batchnorm " + java.util.Arrays.toString(x), new BatchNorm(1e-5f), POINTWISE_TOL,
                    in(gaussian(rng, x)), param(gaussian(rng, c)), param(uniform(rng, 0.5f, 1.5f, c)),
                    param(gaussian(rng, c)), param(gaussian(rng, c))));
            cases.add(GraphOpCase.of("batchnorm-train " + java.util.Arrays.toString(x), BatchNormTraining.defaults(),
                    POINTWISE_TOL, in(gaussian(rng, x)), param(gaussian(rng, c)), param(uniform(rng, 0.5f, 1.5f, c)),
                    param(gaussian(rng, c)), param(gaussian(rng, c))));
        }
        for (int[] x : new int[][] {{3, 7}, {2, 5, 33}, {1, 1, 1}}) {
            int d = x[x.length - 1];
            cases.add(GraphOpCase.of("layernorm " + java.util.Arrays.toString(x), new LayerNorm(1e-5f), POINTWISE_TOL,
                    in(gaussian(rng, x)), param(gaussian(rng, d)), param(gaussian(rng, d))));
        }
    }

    private static void pointwise(Random rng, List<GraphOpCase> cases) {
        for (Activation.Kind k : Activation.Kind.values()) {
            Activation a = new Activation(k, 0.01f);
            cases.add(GraphOpCase.of(a.describe() + " [2,3,5,7]", a, POINTWISE_TOL, in(gaussian(rng, 2, 3, 5, 7))));
        }
        cases.add(GraphOpCase.of("tanh [5]", Activation.of(Activation.Kind.TANH), POINTWISE_TOL, in(gaussian(rng, 5))));
        cases.add(GraphOpCase.of("prelu [3,5,4,3]", new PRelu(), POINTWISE_TOL, in(gaussian(rng, 3, 5, 4, 3)),
                param(uniform(rng, 0.1f, 0.4f, 5))));
        cases.add(GraphOpCase.of("prelu [4,6]", new PRelu(), POINTWISE_TOL, in(gaussian(rng, 4, 6)),
                param(uniform(rng, 0.1f, 0.4f, 6))));
        int[][][] pairs = {
            {{2, 3, 5, 7}, {2, 3, 5, 7}},
            {{2, 3, 5, 7}, {2, 3, 1, 7}},
            {{2, 3, 5, 1}, {2, 3, 1, 7}},
            {{2, 3, 5, 7}, {7}},
            {{5, 1}, {2, 3, 1, 4}},
            {{1}, {3, 4}},
            {{4, 1, 6}, {5, 1}},
        };
        for (Binary.Kind k : Binary.Kind.values()) {
            for (int[][] p : pairs) {
                boolean div = k == Binary.Kind.DIV;
                cases.add(GraphOpCase.of(k.name().toLowerCase() + " " + java.util.Arrays.toString(p[0]) + " "
                        + java.util.Arrays.toString(p[1]), new Binary(k), POINTWISE_TOL, in(gaussian(rng, p[0])),
                        in(div ? uniform(rng, 0.5f, 2f, p[1]) : gaussian(rng, p[1]))));
            }
        }
        cases.add(GraphOpCase.of("mul by parameter [2,3,5,7]*[3,1,1]", Binary.mul(), POINTWISE_TOL, in(gaussian(rng, 2, 3, 5, 7)),
                param(gaussian(rng, 3, 1, 1))));
    }

    private static void matrices(Random rng, List<GraphOpCase> cases) {
        cases.add(GraphOpCase.of("linear [5,512]->7", new Linear(true), CONV_TOL, in(gaussian(rng, 5, 512)),
                param(gaussian(rng, 7, 512)), param(gaussian(rng, 7))));
        cases.add(GraphOpCase.of("linear [2,3,4,9]->1 no bias", new Linear(false), CONV_TOL, in(gaussian(rng, 2, 3, 4, 9)),
                param(gaussian(rng, 1, 9))));
        cases.add(GraphOpCase.of("linear [1,13]->33", new Linear(true), CONV_TOL, in(gaussian(rng, 1, 13)),
                param(gaussian(rng, 33, 13)), param(gaussian(rng, 33))));
        int[][][] mm = {
            {{3, 5}, {5, 4}}, {{2, 3, 5}, {2, 5, 4}}, {{2, 3, 5}, {5, 4}}, {{4, 1, 3, 5}, {2, 5, 6}}, {{1, 1}, {1, 1}},
        };
        for (int[][] p : mm) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                int[] a = ta ? swapLast(p[0]) : p[0];
                int[] b = tb ? swapLast(p[1]) : p[1];
                MatMul op = new MatMul(ta, tb);
                cases.add(GraphOpCase.of(op.describe() + " " + java.util.Arrays.toString(a) + " @ " + java.util.Arrays.toString(b),
                        op, CONV_TOL, in(gaussian(rng, a)), in(gaussian(rng, b))));
            }
        }
        for (int[] dims : new int[][] {{2, 7, 16, 8}, {3, 1, 5, 4}, {1, 4, 9, 17}}) {
            int n = dims[0];
            int t = dims[1];
            int d = dims[2];
            int h = dims[3];
            cases.add(GraphOpCase.of("lstm N" + n + " T" + t + " D" + d + " H" + h, new Lstm(), CONV_TOL,
                    in(gaussian(rng, n, t, d)), in(gaussian(rng, n, h)), in(gaussian(rng, n, h)),
                    param(scaled(rng, 0.3f, 4 * h, d)), param(scaled(rng, 0.3f, 4 * h, h)),
                    param(scaled(rng, 0.3f, 4 * h)), param(scaled(rng, 0.3f, 4 * h))));
        }
    }

    private static void dataMovement(Random rng, List<GraphOpCase> cases) {
        cases.add(GraphOpCase.of("mean3 [2,5,6,7]", new Mean(3), POINTWISE_TOL, in(gaussian(rng, 2, 5, 6, 7))));
        cases.add(GraphOpCase.of("mean2 [2,5,6,7]", new Mean(2), POINTWISE_TOL, in(gaussian(rng, 2, 5, 6, 7))));
        cases.add(GraphOpCase.of("mean1 [3,9]", new Mean(1), POINTWISE_TOL, in(gaussian(rng, 3, 9))));
        for (int axis : new int[] {0, 1, -1}) {
            cases.add(GraphOpCase.of("softmax" + axis + " [3,8,5]", new Softmax(axis), POINTWISE_TOL, in(gaussian(rng, 3, 8, 5))));
        }
        cases.add(GraphOpCase.of("softmax1 [4,8]", new Softmax(1), POINTWISE_TOL, in(gaussian(rng, 4, 8))));
        cases.add(GraphOpCase.of("reshape [2,512,1,1]->[2,512]", Reshape.of(0, -1), POINTWISE_TOL, in(gaussian(rng, 2, 512, 1, 1))));
        cases.add(GraphOpCase.of("reshape [6,5]->[2,3,5]", Reshape.of(-1, 3, 5), POINTWISE_TOL, in(gaussian(rng, 6, 5))));
        cases.add(GraphOpCase.of("transpose [2,3,5,1]->0132", Transpose.of(0, 1, 3, 2), POINTWISE_TOL, in(gaussian(rng, 2, 3, 5, 1))));
        cases.add(GraphOpCase.of("transpose [2,3,4,5]->0231", Transpose.of(0, 2, 3, 1), POINTWISE_TOL, in(gaussian(rng, 2, 3, 4, 5))));
        cases.add(GraphOpCase.of("transpose [3,7]->10", Transpose.of(1, 0), POINTWISE_TOL, in(gaussian(rng, 3, 7))));
        cases.add(GraphOpCase.of("concat2 [2,3,5,1]+[2,3,7,1]", new Concat(2), POINTWISE_TOL, in(gaussian(rng, 2, 3, 5, 1)),
                in(gaussian(rng, 2, 3, 7, 1))));
        cases.add(GraphOpCase.of("concat1 of three", new Concat(1), POINTWISE_TOL, in(gaussian(rng, 2, 3, 4)),
                in(gaussian(rng, 2, 1, 4)), in(gaussian(rng, 2, 5, 4))));
        cases.add(GraphOpCase.of("concat-1 [3,2]+[3,5]", new Concat(-1), POINTWISE_TOL, in(gaussian(rng, 3, 2)), in(gaussian(rng, 3, 5))));
        cases.add(GraphOpCase.of("split1 [2,9,3,3] 4/2/3", Split.of(1, 4, 2, 3), POINTWISE_TOL, in(gaussian(rng, 2, 9, 3, 3))));
        cases.add(GraphOpCase.of("split2 [2,3,12,1] 5/7", Split.of(2, 5, 7), POINTWISE_TOL, in(gaussian(rng, 2, 3, 12, 1))));
        cases.add(GraphOpCase.of("slice1 [1:7:2] of [2,9,3]", new Slice(1, 1, 7, 2), POINTWISE_TOL, in(gaussian(rng, 2, 9, 3))));
        cases.add(GraphOpCase.of("slice-1 [-3:] of [4,5]", new Slice(-1, -3, Integer.MAX_VALUE, 1), POINTWISE_TOL, in(gaussian(rng, 4, 5))));
        cases.add(GraphOpCase.of("gather i64 [3,7,5]", new Gather(), POINTWISE_TOL, in(gaussian(rng, 3, 7, 5)),
                in(GraphOpCase.indices(DType.I64, new long[] {6, 0, 3}))));
        cases.add(GraphOpCase.of("gather i32 [2,4,3,2]", new Gather(), POINTWISE_TOL, in(gaussian(rng, 2, 4, 3, 2)),
                in(GraphOpCase.indices(DType.I32, new long[] {1, 3}))));
        cases.add(GraphOpCase.of("upsample2x2 [2,3,5,4]", new Upsample(2, 2), POINTWISE_TOL, in(gaussian(rng, 2, 3, 5, 4))));
        cases.add(GraphOpCase.of("upsample3x1 [1,2,1,3]", new Upsample(3, 1), POINTWISE_TOL, in(gaussian(rng, 1, 2, 1, 3))));
        // RetinaFace's FPN: 8 -> 15 rows (non-integer ratio, a Java kernel on cpu) and exact doubling (oneDNN)
        cases.add(GraphOpCase.of("upsample->15x20 [1,3,8,10]", Upsample.toSize(15, 20), POINTWISE_TOL, in(gaussian(rng, 1, 3, 8, 10))));
        cases.add(GraphOpCase.of("upsample->30x40 [2,2,15,20]", Upsample.toSize(30, 40), POINTWISE_TOL, in(gaussian(rng, 2, 2, 15, 20))));
        cases.add(GraphOpCase.of("upsample->7x12 [1,2,3,5]", Upsample.toSize(7, 12), POINTWISE_TOL, in(gaussian(rng, 1, 2, 3, 5))));
    }

    /**
     * Autograd's backward ops, on the geometries the forward cases cover (DDAMFN's depthwise 1xW,
     * Hx1 and 7x7 GDConv included). Weights are parameters, as in a differentiated graph.
     */
    private static void gradients(Random rng, List<GraphOpCase> cases) {
        convolutionGradients(rng, cases);
        for (int[] x : new int[][] {{3, 5, 4, 3}, {2, 7}, {1, 6, 1, 9}}) {
            int c = x[1];
            cases.add(GraphOpCase.of("batchnorm-train-backward " + java.util.Arrays.toString(x),
                    new BatchNormTrainingBackward(1e-5f), CONV_TOL, in(gaussian(rng, x)), in(gaussian(rng, x)),
                    in(gaussian(rng, c)), in(uniform(rng, 0.5f, 1.5f, c)), param(gaussian(rng, c))));
        }
        for (Activation.Kind k : Activation.Kind.values()) {
            ActivationBackward a = new ActivationBackward(new Activation(k, 0.01f));
            cases.add(GraphOpCase.of(a.describe() + " [2,3,5,7]", a, POINTWISE_TOL, in(gaussian(rng, 2, 3, 5, 7)),
                    in(gaussian(rng, 2, 3, 5, 7))));
        }
        for (int[] x : new int[][] {{3, 5, 4, 3}, {4, 6}}) {
            cases.add(GraphOpCase.of("prelu-backward " + java.util.Arrays.toString(x), new PReluBackward(), CONV_TOL,
                    in(gaussian(rng, x)), param(uniform(rng, 0.1f, 0.4f, x[1])), in(gaussian(rng, x))));
        }
        binaryGradients(rng, cases);
        cases.add(GraphOpCase.of("linear-backward+bias [5,512]->7", new LinearBackward(true), CONV_TOL,
                in(gaussian(rng, 5, 512)), param(gaussian(rng, 7, 512)), in(gaussian(rng, 5, 7))));
        cases.add(GraphOpCase.of("linear-backward [2,3,4,9]->1", new LinearBackward(false), CONV_TOL,
                in(gaussian(rng, 2, 3, 4, 9)), param(gaussian(rng, 1, 9)), in(gaussian(rng, 2, 3, 4, 1))));
        cases.add(GraphOpCase.of("linear-backward+bias [1,13]->33", new LinearBackward(true), CONV_TOL,
                in(gaussian(rng, 1, 13)), param(gaussian(rng, 33, 13)), in(gaussian(rng, 1, 33))));
        for (int[] dims : new int[][] {{2, 7, 16, 8, 0}, {3, 1, 5, 4, 1}, {1, 4, 9, 17, 1}}) {
            int n = dims[0];
            int t = dims[1];
            int d = dims[2];
            int h = dims[3];
            boolean finalState = dims[4] == 1;
            List<GraphOpCase.Operand> ops = new ArrayList<>(List.of(in(gaussian(rng, n, t, d)), in(gaussian(rng, n, h)),
                    in(gaussian(rng, n, h)), param(scaled(rng, 0.3f, 4 * h, d)), param(scaled(rng, 0.3f, 4 * h, h)),
                    param(scaled(rng, 0.3f, 4 * h)), param(scaled(rng, 0.3f, 4 * h)), in(gaussian(rng, n, t, h))));
            if (finalState) {
                ops.add(in(gaussian(rng, n, h)));
                ops.add(in(gaussian(rng, n, h)));
            }
            cases.add(GraphOpCase.of("lstm-backward N" + n + " T" + t + " D" + d + " H" + h
                    + (finalState ? " with gh_T, gc_T" : ""), new LstmBackward(), CONV_TOL,
                    ops.toArray(GraphOpCase.Operand[]::new)));
        }
        for (int axis : new int[] {0, 1, -1}) {
            cases.add(GraphOpCase.of("softmax" + axis + "-backward [3,8,5]", new SoftmaxBackward(axis), POINTWISE_TOL,
                    in(uniform(rng, 0.01f, 1f, 3, 8, 5)), in(gaussian(rng, 3, 8, 5))));
        }
        cases.add(GraphOpCase.of("mean3-backward [2,5,6,7]", new MeanBackward(3), POINTWISE_TOL,
                in(gaussian(rng, 2, 5, 6, 1)), in(gaussian(rng, 2, 5, 6, 7))));
        cases.add(GraphOpCase.of("mean2-backward [2,5,6,7]", new MeanBackward(2), POINTWISE_TOL,
                in(gaussian(rng, 2, 5, 1, 7)), in(gaussian(rng, 2, 5, 6, 7))));
        cases.add(GraphOpCase.of("mean0-backward [3,9]", new MeanBackward(0), POINTWISE_TOL,
                in(gaussian(rng, 1, 9)), in(gaussian(rng, 3, 9))));
        cases.add(GraphOpCase.of("mean-1-backward [3,9]", new MeanBackward(-1), POINTWISE_TOL,
                in(gaussian(rng, 3, 1)), in(gaussian(rng, 3, 9))));
    }

    private static void convolutionGradients(Random rng, List<GraphOpCase> cases) {
        int[][] convs = {
            // n, c, o, h, w, kh, kw, stride h, stride w, pad h, pad w, groups, bias
            {2, 3, 16, 17, 15, 3, 3, 2, 2, 1, 1, 1, 1},
            {3, 5, 7, 9, 11, 1, 1, 1, 1, 0, 0, 1, 0},
            {2, 16, 16, 13, 13, 3, 3, 1, 1, 1, 1, 16, 0},
            {2, 16, 16, 14, 14, 5, 5, 2, 2, 2, 2, 16, 0},
            {1, 24, 24, 14, 14, 7, 7, 2, 2, 3, 3, 24, 0},
            {2, 32, 32, 7, 7, 9, 9, 1, 1, 4, 4, 32, 0},
            {2, 17, 17, 7, 7, 1, 7, 1, 1, 0, 0, 17, 0},
            {2, 17, 17, 7, 7, 7, 1, 1, 1, 0, 0, 17, 0},
            {3, 32, 32, 7, 7, 7, 7, 1, 1, 0, 0, 32, 0},
            {2, 8, 12, 10, 9, 3, 3, 1, 1, 1, 1, 2, 1},
            {2, 6, 4, 8, 11, 3, 2, 2, 3, 1, 0, 1, 1},
        };
        for (int[] c : convs) {
            Conv2d conv = new Conv2d(c[7], c[8], c[9], c[10], c[11], c[12] == 1);
            int[] xs = {c[0], c[1], c[3], c[4]};
            int[] ws = {c[2], c[1] / c[11], c[5], c[6]};
            int[] ys = conv.outputShapes(conv.bias()
                    ? List.of(Shape.of(xs), Shape.of(ws),
                            Shape.of(c[2]))
                    : List.of(Shape.of(xs), Shape.of(ws))).get(0).dims();
            String geometry = c[5] + "x" + c[6] + " " + java.util.Arrays.toString(xs);
            Conv2dBackwardData data = new Conv2dBackwardData(conv);
            cases.add(GraphOpCase.of(data.describe() + " " + geometry, data, CONV_TOL, in(gaussian(rng, ys)),
                    param(gaussian(rng, ws)), in(gaussian(rng, xs))));
            Conv2dBackwardWeights weights = new Conv2dBackwardWeights(conv);
            cases.add(GraphOpCase.of(weights.describe() + " " + geometry, weights, CONV_TOL, in(gaussian(rng, xs)),
                    in(gaussian(rng, ys)), param(gaussian(rng, ws))));
        }
    }

    private static void binaryGradients(Random rng, List<GraphOpCase> cases) {
        int[][][] pairs = {
            {{2, 3, 5, 7}, {2, 3, 5, 7}},
            {{2, 3, 5, 7}, {2, 3, 1, 7}},
            {{2, 3, 5, 1}, {2, 3, 1, 7}},
            {{2, 3, 5, 7}, {7}},
            {{5, 1}, {2, 3, 1, 4}},
            {{1}, {3, 4}},
        };
        for (Binary.Kind k : Binary.Kind.values()) {
            for (int[][] p : pairs) {
                BinaryBackward op = new BinaryBackward(k);
                int[] y = Binary.broadcast(Shape.of(p[0]), Shape.of(p[1]))
                        .dims();
                cases.add(GraphOpCase.of(op.describe() + " " + java.util.Arrays.toString(p[0]) + " "
                        + java.util.Arrays.toString(p[1]), op, POINTWISE_TOL, in(gaussian(rng, p[0])),
                        in(k == Binary.Kind.DIV ? uniform(rng, 0.5f, 2f, p[1]) : gaussian(rng, p[1])),
                        in(gaussian(rng, y))));
            }
        }
    }

    private static int[] swapLast(int[] d) {
        int[] s = d.clone();
        s[s.length - 1] = d[d.length - 2];
        s[s.length - 2] = d[d.length - 1];
        return s;
    }

    private static dev.affect.engine.tensor.Tensor scaled(Random rng, float scale, int... dims) {
        return GraphOpCase.fill(dims, i -> (float) rng.nextGaussian() * scale);
    }
}
