package dev.affect.engine.graph;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Graph} in execution order, inferring each new value's type. Layer code calls it;
 * it never sees a backend. A value's symbolic batch dimensions are found by evaluating the op's
 * shape function at N = 1 and N = 2.
 */
public final class GraphBuilder {
    private final List<Value> inputs = new ArrayList<>();
    private final Map<String, Value> parameters = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Value> outputs = new LinkedHashMap<>();
    private int nextId;

    public GraphBuilder() {
    }

    /**
     * For rewrites: a builder holding the graph's inputs and parameters (same ids), no nodes and no
     * outputs; new values are numbered after the graph's.
     */
    public static GraphBuilder startingFrom(Graph g) {
        GraphBuilder b = new GraphBuilder();
        b.inputs.addAll(g.inputs());
        g.parameters().forEach(p -> b.parameters.put(p.name(), p));
        b.nextId = g.nextId();
        return b;
    }

    public Value input(String name, TensorType type) {
        return feed(name, type, Value.Kind.INPUT);
    }

    /** A value the caller carries between executions, such as an LSTM's h0. */
    public Value state(String name, TensorType type) {
        return feed(name, type, Value.Kind.STATE);
    }

    private Value feed(String name, TensorType type, Value.Kind kind) {
        Op.require(inputs.stream().noneMatch(v -> v.name().equals(name)), "input '" + name + "' declared twice");
        Value v = new Value(nextId++, name, type, kind);
        inputs.add(v);
        return v;
    }

    /** The parameter with this state_dict key, declared on first use. */
    public Value parameter(String name, Shape shape) {
        TensorType type = TensorType.of(DType.F32, shape);
        Value existing = parameters.get(name);
        if (existing != null) {
            Op.require(existing.type().equals(type), "parameter " + name + " used as " + type + " and " + existing.type());
            return existing;
        }
        Value v = new Value(nextId++, name, type, Value.Kind.PARAMETER);
        parameters.put(name, v);
        return v;
    }

    /** Adds a single-output node. */
    public Value add(Op op, String name, Value... in) {
        Op.require(op.outputCount() == 1, op.describe() + " has " + op.outputCount() + " outputs: use addMulti");
        return addMulti(op, List.of(name), in).get(0);
    }

    /** Adds a node with one named value per output of the op. */
    public List<Value> addMulti(Op op, List<String> names, Value... in) {
        Op.require(names.size() == op.outputCount(), op.describe() + " has " + op.outputCount() + " outputs, "
                + names.size() + " names given");
        List<Value> ins = List.of(in);
        // Probe at N = 1 and 2; an op that rejects N = 1 (training BatchNorm over [1, C, 1, 1]) at N = 2 and 4.
        int probe = 1;
        List<Shape> atOne;
        List<Shape> atTwo;
        try {
            try {
                atOne = probe(op, ins, 1);
            } catch (IllegalArgumentException atBatchOne) {
                probe = 2;
                try {
                    atOne = probe(op, ins, 2);
                } catch (IllegalArgumentException also) {
                    throw atBatchOne;
                }
            }
            atTwo = probe(op, ins, 2 * probe);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("at " + names.get(0) + " (" + op.describe() + "): " + e.getMessage(), e);
        }
        List<DType> dtypes = op.outputDtypes(ins.stream().map(v -> v.type().dtype()).toList());
        List<Value> outs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            outs.add(new Value(nextId++, names.get(i), TensorType.fromProbes(dtypes.get(i), probe, atOne.get(i), atTwo.get(i)),
                    Value.Kind.TEMP));
        }
        nodes.add(new Node(op, ins, outs));
        return outs;
    }

    private static List<Shape> probe(Op op, List<Value> ins, int n) {
        return op.outputShapes(ins.stream().map(v -> v.type().resolve(n)).toList());
    }

    public GraphBuilder output(String name, Value value) {
        Op.require(outputs.putIfAbsent(name, value) == null, "output '" + name + "' declared twice");
        return this;
    }

    /** The graph; parameters that no node reads (left behind by a rewrite) are dropped. */
    public Graph build() {
        java.util.Set<Integer> read = new java.util.HashSet<>();
        nodes.forEach(n -> n.inputs().forEach(v -> read.add(v.id())));
        outputs.values().forEach(v -> read.add(v.id()));
        List<Value> used = parameters.values().stream().filter(p -> read.contains(p.id())).toList();
        return new Graph(inputs, used, nodes, outputs, nextId);
    }
}
