package dev.affect.engine.graph;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model as typed values and nodes in execution order (a DAG, topologically sorted by
 * construction). Inputs and state are fed by the caller, parameters come from a
 * {@link ParameterStore}, outputs are named. Backends prepare it once; passes rewrite it.
 */
public final class Graph {
    private final List<Value> inputs;
    private final List<Value> parameters;
    private final List<Node> nodes;
    private final Map<String, Value> outputs;
    private final int nextId;

    Graph(List<Value> inputs, List<Value> parameters, List<Node> nodes, Map<String, Value> outputs, int nextId) {
        this.inputs = List.copyOf(inputs);
        this.parameters = List.copyOf(parameters);
        this.nodes = List.copyOf(nodes);
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.nextId = nextId;
    }

    /** Values the caller feeds: inputs and state, in declaration order. */
    public List<Value> inputs() {
        return inputs;
    }

    public List<Value> parameters() {
        return parameters;
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Named outputs, in declaration order. */
    public Map<String, Value> outputs() {
        return outputs;
    }

    int nextId() {
        return nextId;
    }

    public Value input(String name) {
        return inputs.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("graph has no input '" + name + "'; it has "
                        + inputs.stream().map(Value::name).toList()));
    }

    public Value output(String name) {
        Value v = outputs.get(name);
        if (v == null) {
            throw new IllegalArgumentException("graph has no output '" + name + "'; it has " + outputs.keySet());
        }
        return v;
    }

    /** The same graph with more named outputs (values it already computes, inputs or parameters). */
    public Graph withExtraOutputs(Map<String, Value> extra) {
        Map<String, Value> all = new LinkedHashMap<>(outputs);
        extra.forEach((name, v) -> Op.require(all.putIfAbsent(name, v) == null, "output '" + name + "' declared twice"));
        return new Graph(inputs, parameters, nodes, all, nextId);
    }

    /** The same graph keeping only the named outputs and the nodes and parameters they need. */
    public Graph withOutputs(List<String> names) {
        Map<String, Value> kept = new LinkedHashMap<>();
        for (String n : names) {
            kept.put(n, output(n));
        }
        Set<Integer> live = new HashSet<>();
        kept.values().forEach(v -> live.add(v.id()));
        List<Node> keep = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.outputs().stream().anyMatch(v -> live.contains(v.id()))) {
                keep.add(n);
                n.inputs().forEach(v -> live.add(v.id()));
            }
        }
        Collections.reverse(keep);
        List<Value> params = parameters.stream().filter(p -> live.contains(p.id())).toList();
        return new Graph(inputs, params, keep, kept, nextId);
    }

    /**
     * Concrete shapes of every value for the given input shapes, by value id. A missing input or one
     * whose shape or batch size does not fit its type is the caller's error ({@link InvalidInputException}).
     */
    public Map<Integer, Shape> inferShapes(Map<String, Shape> inputShapes) {
        Map<Integer, Shape> shapes = new HashMap<>();
        int batch = -1;
        String batchFrom = null;
        for (Value in : inputs) {
            Shape s = inputShapes.get(in.name());
            if (s == null) {
                throw new InvalidInputException(in.name(), "no shape given for graph input of type " + in.type());
            }
            int n = in.type().batchOf(s);
            if (n == Integer.MIN_VALUE) {
                throw new InvalidInputException(in.name(), "shape " + s + " does not fit " + in.type());
            }
            if (n >= 0) {
                if (batch >= 0 && n != batch) {
                    throw new InvalidInputException(in.name(), "batch size " + n + " differs from " + batch + " of " + batchFrom);
                }
                batch = n;
                batchFrom = in.name();
            }
            shapes.put(in.id(), s);
        }
        for (Value p : parameters) {
            shapes.put(p.id(), p.type().shape());
        }
        for (Node n : nodes) {
            List<Shape> ins = n.inputs().stream().map(v -> shapes.get(v.id())).toList();
            List<Shape> outs;
            try {
                outs = n.op().outputShapes(ins);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("at " + n.name() + " (" + n.op().describe() + "): " + e.getMessage(), e);
            }
            for (int i = 0; i < outs.size(); i++) {
                shapes.put(n.outputs().get(i).id(), outs.get(i));
            }
        }
        return shapes;
    }

    /** The batch size these input shapes imply (1 when no input depends on it). */
    public int batchSize(Map<String, Shape> inputShapes) {
        for (Value in : inputs) {
            Shape s = inputShapes.get(in.name());
            int n = s == null ? -1 : in.type().batchOf(s);
            if (n >= 0) {
                return n;
            }
        }
        return 1;
    }

    /** Input shapes at batch size n. */
    public Map<String, Shape> inputShapesAt(int n) {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (Value in : inputs) {
            m.put(in.name(), in.type().resolve(n));
        }
        return m;
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

    /** The node producing each temporary value, by value id. */
    public Map<Integer, Node> producers() {
        Map<Integer, Node> m = new HashMap<>();
        for (Node n : nodes) {
            n.outputs().forEach(v -> m.put(v.id(), n));
        }
        return m;
    }

    /** One line per node, for tests and plan descriptions. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n.outputs().stream().map(Value::toString).toList()).append(" = ").append(n.op().describe())
                    .append(n.inputs().stream().map(Value::name).toList()).append('\n');
        }
        return sb.toString();
    }
}
