package dev.affect.engine.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link Graph} in execution order. Layer code calls it; it never sees a backend. */
public final class GraphBuilder {
    private final List<Graph.Value> inputs = new ArrayList<>();
    private final List<Graph.Node> nodes = new ArrayList<>();
    private final Map<String, Graph.Value> outputs = new LinkedHashMap<>();
    private int nextId;

    public Graph.Value input(String name) {
        Graph.Value v = new Graph.Value(nextId++, name);
        inputs.add(v);
        return v;
    }

    public Graph.Value add(Op op, String name, Graph.Value... in) {
        Graph.Value out = new Graph.Value(nextId++, name);
        nodes.add(new Graph.Node(op, List.of(in), out));
        return out;
    }

    public GraphBuilder output(String name, Graph.Value value) {
        if (outputs.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("output '" + name + "' declared twice");
        }
        return this;
    }

    public Graph build() {
        return new Graph(inputs, nodes, outputs);
    }

    /** For rewrites: a builder that continues numbering after an existing graph's values. */
    static GraphBuilder continuing(Graph g) {
        GraphBuilder b = new GraphBuilder();
        int max = -1;
        for (Graph.Value v : g.inputs()) {
            max = Math.max(max, v.id());
        }
        for (Graph.Node n : g.nodes()) {
            max = Math.max(max, n.output().id());
        }
        b.nextId = max + 1;
        return b;
    }
}
