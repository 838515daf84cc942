package dev.affect.engine.backend.cpu;

import dev.affect.engine.backend.Binary;
import dev.affect.engine.backend.Graph;
import dev.affect.engine.tensor.Shape;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds x * a * b chains (coordinate attention's x * a_w * a_h) whose inner product is read only
 * by the outer one, so the CPU plan computes them in one pass instead of writing the intermediate.
 */
final class BroadcastChains {
    private BroadcastChains() {
    }

    /** Every operand of both nodes is 4-D with all the output's channels (what the kernel needs). */
    private static boolean fullChannels(Map<Integer, Shape> shapes, Graph.Node outer, Graph.Node inner) {
        Shape out = shapes.get(outer.output().id());
        for (Graph.Node n : new Graph.Node[] {outer, inner}) {
            for (Graph.Value v : n.inputs()) {
                Shape s = shapes.get(v.id());
                if (out.rank() != 4 || s.rank() != 4 || s.dim(1) != out.dim(1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Ids of binary outputs to fold into their consumer. */
    static Set<Integer> foldable(Graph graph, Map<Integer, Shape> shapes) {
        Map<Integer, Integer> uses = graph.useCounts();
        Map<Integer, Graph.Node> producers = new HashMap<>();
        graph.nodes().forEach(n -> producers.put(n.output().id(), n));
        Set<Integer> fold = new HashSet<>();
        for (Graph.Node n : graph.nodes()) {
            if (!(n.op() instanceof Binary outer) || outer.kind() != Binary.Kind.MUL) {
                continue;
            }
            for (Graph.Value in : n.inputs()) {
                Graph.Node p = producers.get(in.id());
                if (p != null && p.op() instanceof Binary inner && inner.kind() == Binary.Kind.MUL
                        && uses.getOrDefault(in.id(), 0) == 1 && fullChannels(shapes, n, p)) {
                    fold.add(in.id());
                }
            }
        }
        return fold;
    }
}
