package dev.affect.engine.backend;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inference rewrites shared by the native backends: BatchNorm folded into the convolution before
 * it, then an activation and a residual add fused into that convolution's epilogue. Only values
 * read by exactly one node (and not a graph output) are fused away, so named outputs survive.
 * The reference backend runs graphs unfused: it is the oracle these rewrites are tested against.
 */
public final class InferenceFusion {
    private InferenceFusion() {
    }

    /** Folded weights are garbage-collected; backends that copy them should pass a scope they close. */
    public static Graph apply(Graph graph, Map<String, Shape> inputShapes) {
        return apply(graph, inputShapes, null);
    }

    /** @param scope owns the folded weights (closing it frees them), or null for GC-owned tensors */
    public static Graph apply(Graph graph, Map<String, Shape> inputShapes, TensorScope scope) {
        Map<Integer, Shape> shapes = graph.inferShapes(inputShapes);
        Map<Integer, Integer> uses = graph.useCounts();
        Set<Integer> outputs = new HashSet<>();
        graph.outputs().values().forEach(v -> outputs.add(v.id()));

        // producer index by value id, over a mutable copy of the node list
        List<Graph.Node> nodes = new ArrayList<>(graph.nodes());
        Map<Integer, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            producer.put(nodes.get(i).output().id(), i);
        }
        boolean[] removed = new boolean[nodes.size()];

        for (int i = 0; i < nodes.size(); i++) {
            Graph.Node n = nodes.get(i);
            if (n.op() instanceof Binary b && b.kind() == Binary.Kind.ADD) {
                fuseResidual(nodes, removed, producer, uses, outputs, shapes, i);
                continue;
            }
            if (!(n.op() instanceof BatchNorm) && !(n.op() instanceof Activation)) {
                continue;
            }
            Graph.Value src = n.inputs().get(0);
            Integer pIdx = producer.get(src.id());
            boolean foldable = pIdx != null && !removed[pIdx] && nodes.get(pIdx).op() instanceof Conv2d c
                    && c.activation() == null && !c.residual()
                    && uses.getOrDefault(src.id(), 0) == 1 && !outputs.contains(src.id());
            if (!foldable) {
                continue;
            }
            Graph.Node p = nodes.get(pIdx);
            Conv2d conv = (Conv2d) p.op();
            Conv2d fused = n.op() instanceof BatchNorm bn ? foldBatchNorm(conv, bn, scope)
                    : conv.withEpilogue((Activation) n.op(), false);
            nodes.set(i, new Graph.Node(fused, p.inputs(), n.output()));
            producer.put(n.output().id(), i);
            removed[pIdx] = true;
        }
        List<Graph.Node> kept = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!removed[i]) {
                kept.add(nodes.get(i));
            }
        }
        return new Graph(graph.inputs(), kept, graph.outputs());
    }

    /** add(conv(x), r) or add(r, conv(x)) with r of the output's shape -> conv(x) with residual r. */
    private static void fuseResidual(List<Graph.Node> nodes, boolean[] removed, Map<Integer, Integer> producer,
                                     Map<Integer, Integer> uses, Set<Integer> outputs, Map<Integer, Shape> shapes, int i) {
        Graph.Node add = nodes.get(i);
        Shape outShape = shapes.get(add.output().id());
        for (int side = 0; side < 2; side++) {
            Graph.Value convOut = add.inputs().get(side);
            Graph.Value other = add.inputs().get(1 - side);
            Integer pIdx = producer.get(convOut.id());
            if (pIdx == null || removed[pIdx] || pIdx >= i) {
                continue;
            }
            Graph.Node p = nodes.get(pIdx);
            if (!(p.op() instanceof Conv2d conv) || conv.residual()
                    || uses.getOrDefault(convOut.id(), 0) != 1 || outputs.contains(convOut.id())
                    || !shapes.get(convOut.id()).equals(outShape) || !shapes.get(other.id()).equals(outShape)) {
                continue;
            }
            List<Graph.Value> ins = new ArrayList<>(p.inputs());
            ins.add(other);
            nodes.set(i, new Graph.Node(conv.withEpilogue(conv.activation(), true), ins, add.output()));
            producer.put(add.output().id(), i);
            removed[pIdx] = true;
            return;
        }
    }

    /** w' = w * s, b' = (b - mean) * s + beta with s = gamma / sqrt(var + eps); in double. */
    static Conv2d foldBatchNorm(Conv2d conv, BatchNorm bn, TensorScope scope) {
        Shape ws = conv.weight().shape();
        int out = ws.dim(0);
        long per = ws.numel() / out;
        Tensor w = conv.weight();
        // written element by element into native tensors: no heap copies of the weights
        Tensor nw = scope == null ? Tensor.zeros(ws) : scope.allocate(DType.F32, ws);
        Tensor nb = scope == null ? Tensor.zeros(Shape.of(out)) : scope.allocate(DType.F32, Shape.of(out));
        for (int o = 0; o < out; o++) {
            double s = bn.weight().getFloat(o) / Math.sqrt((double) bn.variance().getFloat(o) + bn.eps());
            for (long k = 0; k < per; k++) {
                nw.setFloat(o * per + k, (float) (w.getFloat(o * per + k) * s));
            }
            double b0 = conv.bias() == null ? 0 : conv.bias().getFloat(o);
            nb.setFloat(o, (float) ((b0 - bn.mean().getFloat(o)) * s + bn.bias().getFloat(o)));
        }
        return conv.withWeights(nw, nb);
    }
}
