package dev.affect.engine.backend.reference;

import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.Signature;
import dev.affect.engine.backend.Workspace;
import dev.affect.engine.backend.TensorSpec;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A graph with every shape resolved; immutable, so any number of contexts may run it at once. */
final class ReferenceExecutable implements Executable {
    final Graph graph;
    final ParameterStore parameters;
    final Map<Integer, Shape> shapes;
    /** For each node, the values whose last reader it is (dropped after it runs). */
    final Map<Integer, List<Integer>> dropAfter = new HashMap<>();
    private final Signature signature;
    private volatile boolean closed;

    ReferenceExecutable(Graph graph, ParameterStore parameters, Map<String, Shape> inputShapes) {
        this.graph = graph;
        this.parameters = parameters;
        this.shapes = graph.inferShapes(inputShapes);
        List<TensorSpec> ins = new ArrayList<>();
        for (Value v : graph.inputs()) {
            ins.add(new TensorSpec(v.name(), v.type().dtype(), shapes.get(v.id())));
        }
        List<TensorSpec> outs = new ArrayList<>();
        graph.outputs().forEach((name, v) -> outs.add(new TensorSpec(name, v.type().dtype(), shapes.get(v.id()))));
        this.signature = new Signature(ins, outs);
        Map<Integer, Integer> lastUse = new HashMap<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (Value v : nodes.get(i).inputs()) {
                lastUse.put(v.id(), i);
            }
        }
        java.util.Set<Integer> kept = new java.util.HashSet<>();
        graph.outputs().values().forEach(v -> kept.add(v.id()));
        lastUse.forEach((id, i) -> {
            if (!kept.contains(id)) {
                dropAfter.computeIfAbsent(i, k -> new ArrayList<>()).add(id);
            }
        });
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public ExecutionContext newContext() {
        if (closed) {
            throw new IllegalStateException("executable is closed");
        }
        return new ReferenceContext(this);
    }

    /** Nothing: a reference context's activations are Java arrays made per execution. */
    @Override
    public long workspaceBytes() {
        return 0;
    }

    /** Checks the workspace, then ignores it: the context is the same as {@link #newContext()}'s. */
    @Override
    public ExecutionContext newContext(Workspace workspace) {
        if (!(workspace instanceof ReferenceWorkspace ws) || ws.isClosed()) {
            throw new IllegalArgumentException("not an open workspace of the reference backend: " + workspace);
        }
        return newContext();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Node n : graph.nodes()) {
            sb.append(n.name()).append(" -> java:").append(n.op().describe()).append(' ')
                    .append(shapes.get(n.output().id())).append('\n');
        }
        return sb.append(graph.nodes().size()).append(" ops, interpreted\n").toString();
    }

    @Override
    public void close() {
        closed = true;
    }
}
