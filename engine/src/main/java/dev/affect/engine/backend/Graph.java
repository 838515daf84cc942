package dev.affect.engine.backend;

import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as a list of ops in execution order (a DAG, topologically sorted by construction).
 * Backends compile it once per input shape into a {@link Plan}; graph rewrites (fusion, and later
 * autograd) work on this representation, never on a backend's internals.
 */
public final class Graph {

    /** A tensor flowing between nodes, identified by id; the name is for outputs and profiles. */
    public record Value(int id, String name) {
    }

    public record Node(Op op, List<Value> inputs, Value output) {
        public Node {
            inputs = List.copyOf(inputs);
            Op.require(inputs.size() == op.arity(), op.describe() + " takes " + op.arity() + " inputs, got " + inputs.size());
        }
    }

    private final List<Value> inputs;
    private final List<Node> nodes;
    private final Map<String, Value> outputs;

    Graph(List<Value> inputs, List<Node> nodes, Map<String, Value> outputs) {
        this.inputs = List.copyOf(inputs);
        this.nodes = List.copyOf(nodes);
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    public List<Value> inputs() {
        return inputs;
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Named outputs, in declaration order. */
    public Map<String, Value> outputs() {
        return outputs;
    }

    public Value input(String name) {
        return inputs.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("graph has no input '" + name + "'"));
    }

    /** The same graph keeping only the named outputs (and every node still needed for them). */
    public Graph selectOutputs(List<String> names) {
        Map<String, Value> kept = new LinkedHashMap<>();
        for (String n : names) {
            Value v = outputs.get(n);
            if (v == null) {
                throw new IllegalArgumentException("graph has no output '" + n + "'; it has " + outputs.keySet());
            }
            kept.put(n, v);
        }
        return new Graph(inputs, nodes, kept).withoutDeadNodes();
    }

    Graph withoutDeadNodes() {
        java.util.Set<Integer> live = new java.util.HashSet<>();
        outputs.values().forEach(v -> live.add(v.id()));
        List<Node> keep = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (live.contains(n.output().id())) {
                keep.add(n);
                n.inputs().forEach(v -> live.add(v.id()));
            }
        }
        Collections.reverse(keep);
        return new Graph(inputs, keep, outputs);
    }

    /** Shapes of every value for the given input shapes, by value id; validates every op. */
    public Map<Integer, Shape> inferShapes(Map<String, Shape> inputShapes) {
        Map<Integer, Shape> shapes = new HashMap<>();
        for (Value in : inputs) {
            Shape s = inputShapes.get(in.name());
            if (s == null) {
                throw new IllegalArgumentException("no shape given for graph input '" + in.name() + "'");
            }
            shapes.put(in.id(), s);
        }
        for (Node n : nodes) {
            List<Shape> ins = n.inputs().stream().map(v -> shapes.get(v.id())).toList();
            try {
                shapes.put(n.output().id(), n.op().outputShape(ins));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("at " + n.output().name() + " (" + n.op().describe() + "): " + e.getMessage(), e);
            }
        }
        return shapes;
    }

    /** How many nodes read each value, plus one for each graph output naming it. */
    public Map<Integer, Integer> useCounts() {
        Map<Integer, Integer> uses = new HashMap<>();
        for (Node n : nodes) {
            for (Value v : n.inputs()) {
                uses.merge(v.id(), 1, Integer::sum);
            }
        }
        for (Value v : outputs.values()) {
            uses.merge(v.id(), 1, Integer::sum);
        }
        return uses;
    }
}
