package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The conformance catalogue: every op of the SPI on awkward shapes (odd sizes, size 1, stride 2,
 * padding, groups = channels, kernels 1/3/5/7/9, 1x7 and 7x1), and the fused epilogues.
 */
final class OpCases {
    static final double CONV_TOL = 1e-4;
    static final double POINTWISE_TOL = 1e-5;

    private OpCases() {
    }

    static List<OpCase> all() {
        Random rng = new Random(42);
        List<OpCase> cases = new ArrayList<>();
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
            {32, 32, 7, 7, 7, 7, 1, 0, 0, 32},
            {8, 12, 10, 9, 3, 3, 1, 1, 1, 2},
            {64, 128, 28, 28, 1, 1, 1, 0, 0, 1},
            {7, 3, 1, 1, 1, 1, 1, 0, 0, 1},
        };
        for (int[] c : convs) {
            for (int batch : new int[] {1, 3}) {
                Shape x = Shape.of(batch, c[0], c[2], c[3]);
                Tensor w = OpCase.random(rng, Shape.of(c[1], c[0] / c[9], c[4], c[5]));
                Tensor b = OpCase.random(rng, Shape.of(c[1]));
                Conv2d op = new Conv2d(w, batch == 1 ? null : b, c[6], c[6], c[7], c[8], c[9], null, false);
                cases.add(OpCase.single("conv " + op.describe() + " on " + x, op, CONV_TOL, x));
            }
        }
        // fused epilogues: every activation, and residual add after it
        Shape x = Shape.of(2, 16, 9, 7);
        Tensor w = OpCase.random(rng, Shape.of(16, 16, 3, 3));
        Tensor b = OpCase.random(rng, Shape.of(16));
        for (Activation act : activations(rng, 16)) {
            Conv2d op = new Conv2d(w, b, 1, 1, 1, 1, 1, act, false);
            cases.add(OpCase.single("conv+" + act.describe(), op, CONV_TOL, x));
            Conv2d res = new Conv2d(w, b, 1, 1, 1, 1, 1, act, true);
            cases.add(OpCase.single("conv+" + act.describe() + "+residual", res, CONV_TOL, x, x));
        }
        Shape bnShape = Shape.of(3, 5, 4, 3);
        cases.add(OpCase.single("batchnorm", new BatchNorm(OpCase.random(rng, Shape.of(5)),
                OpCase.uniform(rng, Shape.of(5), 0.5f, 1.5f), OpCase.random(rng, Shape.of(5)),
                OpCase.random(rng, Shape.of(5)), 1e-5f), POINTWISE_TOL, bnShape));
        for (Activation act : activations(rng, 5)) {
            cases.add(OpCase.single(act.describe(), act, POINTWISE_TOL, bnShape));
        }
        Shape full = Shape.of(2, 16, 7, 5);
        for (Binary.Kind kind : Binary.Kind.values()) {
            Binary op = new Binary(kind);
            cases.add(OpCase.single(kind + " same shape", op, POINTWISE_TOL, full, full));
            cases.add(OpCase.single(kind + " broadcast W", op, POINTWISE_TOL, full, Shape.of(2, 16, 7, 1)));
            cases.add(OpCase.single(kind + " broadcast H", op, POINTWISE_TOL, full, Shape.of(2, 16, 1, 5)));
            cases.add(OpCase.single(kind + " broadcast first", op, POINTWISE_TOL, Shape.of(2, 16, 1, 5), full));
            cases.add(OpCase.single(kind + " both broadcast", op, POINTWISE_TOL, Shape.of(2, 16, 1, 5), Shape.of(2, 16, 7, 1)));
        }
        for (int axis : new int[] {2, 3}) {
            cases.add(OpCase.single("mean axis " + axis, new Mean(axis), POINTWISE_TOL, Shape.of(3, 16, 7, 5)));
            cases.add(OpCase.single("mean axis " + axis + " odd", new Mean(axis), POINTWISE_TOL, Shape.of(1, 5, 3, 11)));
        }
        cases.add(OpCase.single("linear", new Linear(OpCase.random(rng, Shape.of(7, 13)), OpCase.random(rng, Shape.of(7))),
                CONV_TOL, Shape.of(3, 13)));
        cases.add(OpCase.single("linear 512->8", new Linear(OpCase.random(rng, Shape.of(8, 512)),
                OpCase.random(rng, Shape.of(8))), CONV_TOL, Shape.of(1, 512)));
        cases.add(OpCase.single("flatten", new Flatten(), 0, Shape.of(2, 16, 3, 3)));
        cases.add(fusedBlock(rng));
        cases.add(attentionProduct());
        return cases;
    }

    /** x * a_w * a_h: the chain the CPU plan folds into one broadcast pass. */
    private static OpCase attentionProduct() {
        GraphBuilder g = new GraphBuilder();
        Graph.Value x = g.input("in0");
        Graph.Value aw = g.input("in1");
        Graph.Value ah = g.input("in2");
        Graph.Value xw = g.add(Binary.mul(), "xw", x, aw);
        g.output("out", g.add(Binary.mul(), "xwh", xw, ah));
        return new OpCase("x * a_w * a_h", g.build(),
                List.of(Shape.of(2, 19, 6, 5), Shape.of(2, 19, 1, 5), Shape.of(2, 19, 6, 1)), POINTWISE_TOL);
    }

    static List<Activation> activations(Random rng, int channels) {
        return List.of(Activation.relu(), Activation.sigmoid(), Activation.hswish(),
                Activation.prelu(OpCase.uniform(rng, Shape.of(channels), 0.1f, 0.4f)));
    }

    /** conv -> BN -> PReLU -> conv -> BN -> add: exercises BN folding and epilogue fusion end to end. */
    private static OpCase fusedBlock(Random rng) {
        GraphBuilder g = new GraphBuilder();
        Graph.Value in = g.input("in0");
        Graph.Value c1 = g.add(Conv2d.of(OpCase.random(rng, Shape.of(32, 16, 1, 1)), null, 1, 0, 1), "c1", in);
        Graph.Value bn1 = g.add(bn(rng, 32), "bn1", c1);
        Graph.Value act = g.add(Activation.prelu(OpCase.uniform(rng, Shape.of(32), 0.1f, 0.4f)), "act", bn1);
        Graph.Value dw = g.add(Conv2d.of(OpCase.random(rng, Shape.of(32, 1, 5, 5)), null, 1, 2, 32), "dw", act);
        Graph.Value c2 = g.add(Conv2d.of(OpCase.random(rng, Shape.of(16, 32, 1, 1)), null, 1, 0, 1), "c2", dw);
        Graph.Value bn2 = g.add(bn(rng, 16), "bn2", c2);
        Graph.Value sum = g.add(Binary.add(), "sum", in, bn2);
        g.output("out", sum);
        return new OpCase("fused inverted-residual block", g.build(), List.of(Shape.of(2, 16, 11, 9)), CONV_TOL);
    }

    private static BatchNorm bn(Random rng, int c) {
        return new BatchNorm(OpCase.random(rng, Shape.of(c)), OpCase.uniform(rng, Shape.of(c), 0.5f, 1.5f),
                OpCase.uniform(rng, Shape.of(c), 0.8f, 1.2f), OpCase.random(rng, Shape.of(c)), 1e-5f);
    }
}
