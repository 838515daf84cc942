package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rebuilds a graph node by node: unmatched nodes are copied, matched ones are skipped, and at the
 * position of a match's last node its replacement is emitted. Inputs and parameters keep their
 * ids; every node output is a new value, and {@link #map} translates old values to new ones.
 * Named outputs are carried over by name.
 */
final class Rewriter {
    private final Graph source;
    private final GraphBuilder builder;
    private final Map<Integer, Value> mapped = new HashMap<>();

    Rewriter(Graph source) {
        this.source = source;
        this.builder = GraphBuilder.startingFrom(source);
    }

    /**
     * Rebuilds {@code graph}: at the position of each key of {@code emit} runs its replacement,
     * skips the nodes in {@code skipped}, copies all others. Positions are node indices.
     */
    static Graph rebuild(Graph graph, Map<Integer, Consumer<Rewriter>> emit, java.util.Set<Integer> skipped) {
        if (emit.isEmpty() && skipped.isEmpty()) {
            return graph;
        }
        Rewriter r = new Rewriter(graph);
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Consumer<Rewriter> e = emit.get(i);
            if (e != null) {
                e.accept(r);
            } else if (!skipped.contains(i)) {
                r.copy(nodes.get(i));
            }
        }
        return r.build();
    }

    /** The new value standing for an old one. */
    Value map(Value old) {
        Value v = mapped.get(old.id());
        if (v != null) {
            return v;
        }
        if (old.kind() == Value.Kind.TEMP) {
            throw new IllegalStateException("rewrite reads " + old + " before it is made (a pass skipped its producer)");
        }
        return old;
    }

    Value[] map(List<Value> old) {
        return old.stream().map(this::map).toArray(Value[]::new);
    }

    /** Copies a node unchanged, reading the new values of its inputs. */
    void copy(Node n) {
        List<Value> outs = builder.addMulti(n.op(), n.outputs().stream().map(Value::name).toList(), map(n.inputs()));
        for (int i = 0; i < outs.size(); i++) {
            mapped.put(n.outputs().get(i).id(), outs.get(i));
        }
    }

    /** Adds a single-output node reading already-mapped values. */
    Value add(Op op, String name, Value... inputs) {
        return builder.add(op, name, inputs);
    }

    /** From now on, readers of {@code old} read {@code now}. */
    void replace(Value old, Value now) {
        if (!old.type().equals(now.type())) {
            throw new IllegalStateException("rewrite replaces " + old + " by " + now + " of another type");
        }
        mapped.put(old.id(), now);
    }

    /** Declares a parameter of the new graph (see {@link Derived}). */
    Value parameter(String name, Shape shape) {
        return builder.parameter(name, shape);
    }

    Graph build() {
        source.outputs().forEach((name, v) -> builder.output(name, map(v)));
        return builder.build();
    }
}
