package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the passes ask about a graph: who produces and who reads a value, and where a node sits. */
final class GraphIndex {
    private final Graph graph;
    private final Map<Integer, Node> producers;
    private final Map<Integer, Integer> uses;
    private final Map<Integer, List<Node>> consumers = new HashMap<>();
    private final Map<Integer, Integer> positions = new HashMap<>();
    private final Set<Integer> outputs = new HashSet<>();

    GraphIndex(Graph graph) {
        this.graph = graph;
        this.producers = graph.producers();
        this.uses = graph.useCounts();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            positions.put(n.output().id(), i);
            for (Value v : n.inputs()) {
                List<Node> c = consumers.computeIfAbsent(v.id(), k -> new ArrayList<>());
                if (!c.contains(n)) {
                    c.add(n);
                }
            }
        }
        graph.outputs().values().forEach(v -> outputs.add(v.id()));
    }

    Graph graph() {
        return graph;
    }

    List<Node> nodes() {
        return graph.nodes();
    }

    /** The node producing a value, or null for inputs, state and parameters. */
    Node producer(Value v) {
        return producers.get(v.id());
    }

    /** Index of a node in execution order. */
    int position(Node n) {
        return positions.get(n.output().id());
    }

    boolean isOutput(Value v) {
        return outputs.contains(v.id());
    }

    /**
     * True when exactly one input slot of one node reads the value and it is not a graph output: the
     * only condition under which a rewrite may make the value disappear.
     */
    boolean soleUse(Value v) {
        return uses.getOrDefault(v.id(), 0) == 1 && !outputs.contains(v.id());
    }

    /** The node that is the sole user of a value (see {@link #soleUse}), or null. */
    Node soleConsumer(Value v) {
        if (!soleUse(v)) {
            return null;
        }
        List<Node> c = consumers.get(v.id());
        return c == null || c.size() != 1 ? null : c.get(0);
    }

    /** True when the value is fed by the caller or a parameter, or made by a node before {@code n}. */
    boolean availableBefore(Value v, Node n) {
        Node p = producer(v);
        return p == null || position(p) < position(n);
    }
}
