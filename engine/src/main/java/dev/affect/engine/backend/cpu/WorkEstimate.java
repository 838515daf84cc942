package dev.affect.engine.backend.cpu;

import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.MatMul;
import dev.affect.engine.graph.Node;
import dev.affect.engine.tensor.Shape;
import java.util.Map;

/**
 * The floating-point work of one execution, counted over the ops that dominate it (convolutions,
 * matrix products, LSTMs), and from it how many threads an executable should use. Below
 * {@link #SMALL} an OpenMP fork/join per primitive costs more than the second core saves: three
 * LSTM heads at batch 1 took 1.32 ms on two threads and 0.64 ms on one.
 */
final class WorkEstimate {
    /** 50 MFLOP: a temporal head at batch 32 is about 25, DDAMFN at batch 1 about 1,079. */
    static final long SMALL = 50_000_000L;

    private WorkEstimate() {
    }

    static long flops(Graph graph, Map<Integer, Shape> shapes) {
        long total = 0;
        for (Node n : graph.nodes()) {
            Shape y = shapes.get(n.output().id());
            total += switch (n.op()) {
                case Conv2d c -> conv(y, shapes.get(n.input(1).id()));
                case FusedConv2d c -> conv(y, shapes.get(n.input(1).id()));
                case Linear l -> 2L * y.numel() * shapes.get(n.input(1).id()).dim(1);
                case MatMul m -> {
                    Shape a = shapes.get(n.input(0).id());
                    yield 2L * y.numel() * (m.transA() ? a.dim(-2) : a.dim(-1));
                }
                case Lstm l -> {
                    Shape x = shapes.get(n.input(0).id());
                    Shape whh = shapes.get(n.input(Lstm.W_HH).id());
                    yield 2L * x.dim(0) * x.dim(1) * whh.dim(0) * (x.dim(2) + whh.dim(1));
                }
                default -> 0L;
            };
        }
        return total;
    }

    /** Multiply-adds of a convolution: every output element reads Cin/groups * kH * kW weights. */
    private static long conv(Shape y, Shape w) {
        return 2L * y.numel() * w.dim(1) * w.dim(2) * w.dim(3);
    }

    /** One thread for small work, the backend's threads otherwise. */
    static int threadsFor(Graph graph, Map<String, Shape> inputShapes, int backendThreads) {
        return flops(graph, graph.inferShapes(inputShapes)) < SMALL ? 1 : backendThreads;
    }
}
