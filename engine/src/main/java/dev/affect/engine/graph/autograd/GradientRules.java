package dev.affect.engine.graph.autograd;

import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.ActivationBackward;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.BatchNormTrainingBackward;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.BinaryBackward;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Conv2dBackwardData;
import dev.affect.engine.graph.Conv2dBackwardWeights;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.LinearBackward;
import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.LstmBackward;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.MeanBackward;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.PReluBackward;
import dev.affect.engine.graph.Reshape;
import dev.affect.engine.graph.Softmax;
import dev.affect.engine.graph.SoftmaxBackward;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Value;
import java.util.ArrayList;
import java.util.List;

/** One backward rule per canonical op: which inputs and outputs carry gradients, and the nodes that compute them. */
final class GradientRules {
    private GradientRules() {
    }

    /** Whether a gradient flows into input k (running statistics and shapes-only inputs get none). */
    static boolean differentiableInput(Op op, int k) {
        return switch (op) {
            case BatchNormTraining b -> k == 0 || k == 3 || k == 4; // x, weight, bias; not the running statistics
            default -> true;
        };
    }

    /** Whether output k carries a gradient back (the statistics a training BatchNorm returns do not). */
    static boolean differentiableOutput(Op op, int k) {
        return switch (op) {
            case BatchNormTraining b -> k == BatchNormTraining.Y;
            default -> true;
        };
    }

    static void backward(Node n, Autograd.Differentiation d) {
        Value gy = d.gradOf(n.outputs().get(0));
        String name = Autograd.grad(n.name());
        switch (n.op()) {
            case Conv2d c -> conv(n, c, gy, name, d);
            case BatchNormTraining bn -> {
                Value[] in = {d.forward(n.input(0)), gy, d.forward(n.outputs().get(BatchNormTraining.BATCH_MEAN)),
                        d.forward(n.outputs().get(BatchNormTraining.BATCH_VAR)), d.forward(n.input(3))};
                List<Value> g = d.add(new BatchNormTrainingBackward(bn.eps()), name, in);
                d.accumulate(n.input(0), g.get(0));
                d.accumulate(n.input(3), g.get(1));
                d.accumulate(n.input(4), g.get(2));
            }
            case Activation a -> d.accumulate(n.input(0),
                    d.add(new ActivationBackward(a), name, d.forward(n.input(0)), gy).get(0));
            case PRelu p -> {
                List<Value> g = d.add(new PReluBackward(), name, d.forward(n.input(0)), d.forward(n.input(1)), gy);
                d.accumulate(n.input(0), g.get(0));
                d.accumulate(n.input(1), g.get(1));
            }
            case Binary bin -> {
                List<Value> g = d.add(new BinaryBackward(bin.kind()), name, d.forward(n.input(0)), d.forward(n.input(1)), gy);
                d.accumulate(n.input(0), g.get(0));
                d.accumulate(n.input(1), g.get(1));
            }
            case Mean m -> d.accumulate(n.input(0), d.add(new MeanBackward(m.axis()), name, gy, d.forward(n.input(0))).get(0));
            case Linear l -> {
                List<Value> g = d.add(new LinearBackward(l.bias()), name, d.forward(n.input(0)), d.forward(n.input(1)), gy);
                for (int i = 0; i < g.size(); i++) {
                    d.accumulate(n.input(i), g.get(i));
                }
            }
            case Softmax s -> d.accumulate(n.input(0),
                    d.add(new SoftmaxBackward(s.axis()), name, d.forward(n.outputs().get(0)), gy).get(0));
            case Reshape r -> d.accumulate(n.input(0), d.add(reshapeTo(n.input(0)), name, gy).get(0));
            case Transpose t -> d.accumulate(n.input(0), d.add(Transpose.of(inverse(t.perm())), name, gy).get(0));
            case Concat c -> concat(n, c, gy, name, d);
            case Split s -> split(n, s, name, d);
            case Lstm l -> lstm(n, gy, name, d);
            default -> throw new IllegalArgumentException("autograd has no rule for " + n.op().describe() + " at "
                    + n.name() + ", which lies between a seeded output and a differentiated value");
        }
    }

    private static void conv(Node n, Conv2d c, Value gy, String name, Autograd.Differentiation d) {
        Value x = d.forward(n.input(0));
        Value w = d.forward(n.input(1));
        if (d.requiresGrad(n.input(0))) {
            d.accumulate(n.input(0), d.add(new Conv2dBackwardData(c), name + ".data", gy, w, x).get(0));
        }
        boolean weights = d.requiresGrad(n.input(1)) || (c.bias() && d.requiresGrad(n.input(2)));
        if (weights) {
            List<Value> g = d.add(new Conv2dBackwardWeights(c), name + ".weights", x, gy, w);
            d.accumulate(n.input(1), g.get(0));
            if (c.bias()) {
                d.accumulate(n.input(2), g.get(1));
            }
        }
    }

    private static void concat(Node n, Concat c, Value gy, String name, Autograd.Differentiation d) {
        int rank = n.output().type().rank();
        int axis = c.axis() < 0 ? c.axis() + rank : c.axis();
        int[] sizes = new int[n.inputs().size()];
        for (int i = 0; i < sizes.length; i++) {
            int size = n.input(i).type().dims()[axis];
            Op.require(size > 0, "autograd cannot split a gradient along the batch axis at " + n.name());
            sizes[i] = size;
        }
        List<Value> parts = d.add(Split.of(axis, sizes), name, gy);
        for (int i = 0; i < sizes.length; i++) {
            d.accumulate(n.input(i), parts.get(i));
        }
    }

    private static void split(Node n, Split s, String name, Autograd.Differentiation d) {
        List<Value> parts = new ArrayList<>();
        for (Value out : n.outputs()) {
            Value g = d.gradOf(out);
            Op.require(g != null, "autograd needs a gradient for every part of " + n.name() + "; " + out.name()
                    + " reaches no seeded output");
            parts.add(g);
        }
        d.accumulate(n.input(0), d.add(new Concat(s.axis()), name, parts.toArray(Value[]::new)).get(0));
    }

    private static void lstm(Node n, Value gy, String name, Autograd.Differentiation d) {
        Op.require(gy != null, "autograd needs a gradient on the LSTM's sequence output at " + n.name());
        Value gh = d.gradOf(n.outputs().get(1));
        Value gc = d.gradOf(n.outputs().get(2));
        Op.require((gh == null) == (gc == null), "autograd needs gradients on both or neither of h_T and c_T at " + n.name());
        List<Value> in = new ArrayList<>();
        for (Value v : n.inputs()) {
            in.add(d.forward(v));
        }
        in.add(gy);
        if (gh != null) {
            in.add(gh);
            in.add(gc);
        }
        List<Value> g = d.add(new LstmBackward(), name, in.toArray(Value[]::new));
        for (int i = 0; i < 7; i++) {
            d.accumulate(n.input(i), g.get(i));
        }
    }

    /** A reshape back to a value's type: its symbolic (batch) axis inferred, the others fixed. */
    private static Reshape reshapeTo(Value x) {
        int[] dims = x.type().dims();
        int symbolic = 0;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                dims[i] = -1;
                symbolic++;
            }
        }
        Op.require(symbolic <= 1, "autograd cannot reshape a gradient back to " + x.type() + " at " + x.name());
        return Reshape.of(dims);
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }
}
