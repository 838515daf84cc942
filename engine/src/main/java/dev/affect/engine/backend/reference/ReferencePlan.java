package dev.affect.engine.backend.reference;

import dev.affect.engine.backend.Activation;
import dev.affect.engine.backend.BatchNorm;
import dev.affect.engine.backend.Binary;
import dev.affect.engine.backend.Conv2d;
import dev.affect.engine.backend.Flatten;
import dev.affect.engine.backend.Graph;
import dev.affect.engine.backend.Linear;
import dev.affect.engine.backend.Mean;
import dev.affect.engine.backend.Plan;
import dev.affect.engine.backend.PlanTensors;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interprets a graph node by node on Java arrays; intermediates are dropped after their last use. */
final class ReferencePlan implements Plan {
    private final Graph graph;
    private final Map<Integer, Shape> shapes;
    private final Map<Integer, Integer> lastUse = new HashMap<>();
    private final TensorScope scope = new TensorScope();
    private final PlanTensors tensors = new PlanTensors();
    private boolean closed;

    ReferencePlan(Graph graph, Map<String, Shape> inputShapes) {
        this.graph = graph;
        this.shapes = graph.inferShapes(inputShapes);
        List<Graph.Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (Graph.Value v : nodes.get(i).inputs()) {
                lastUse.put(v.id(), i);
            }
        }
        for (Graph.Value in : graph.inputs()) {
            tensors.addInput(in.name(), scope.allocate(DType.F32, shapes.get(in.id())));
        }
        graph.outputs().forEach((name, v) -> tensors.addOutput(name, scope.allocate(DType.F32, shapes.get(v.id()))));
    }

    @Override
    public Tensor input(String name) {
        return tensors.input(name);
    }

    @Override
    public Tensor output(String name) {
        return tensors.output(name);
    }

    @Override
    public void execute() {
        if (closed) {
            throw new IllegalStateException("plan is closed");
        }
        Map<Integer, float[]> values = new HashMap<>();
        for (Graph.Value in : graph.inputs()) {
            values.put(in.id(), tensors.input(in.name()).toFloatArray());
        }
        List<Graph.Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Graph.Node n = nodes.get(i);
            values.put(n.output().id(), run(n, values));
            for (Graph.Value v : n.inputs()) {
                if (lastUse.get(v.id()) == i && !graph.outputs().containsValue(v)) {
                    values.remove(v.id());
                }
            }
        }
        graph.outputs().forEach((name, v) -> tensors.output(name).copyFrom(values.get(v.id())));
    }

    private float[] run(Graph.Node n, Map<Integer, float[]> values) {
        float[] x = values.get(n.inputs().get(0).id());
        Shape xs = shapes.get(n.inputs().get(0).id());
        Shape ys = shapes.get(n.output().id());
        return switch (n.op()) {
            case Conv2d c -> ReferenceKernels.conv2d(c, x, xs, c.residual() ? values.get(n.inputs().get(1).id()) : null, ys);
            case BatchNorm b -> ReferenceKernels.batchNorm(b, x, xs);
            case Activation a -> ReferenceKernels.activation(a, x, xs);
            case Binary b -> ReferenceKernels.binary(b, x, xs, values.get(n.inputs().get(1).id()),
                    shapes.get(n.inputs().get(1).id()), ys);
            case Mean m -> ReferenceKernels.mean(m.axis(), x, xs);
            case Linear l -> ReferenceKernels.linear(l, x, xs);
            case Flatten f -> x;
        };
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Graph.Node n : graph.nodes()) {
            sb.append(n.output().name()).append(" -> java:").append(n.op().describe()).append(' ')
                    .append(shapes.get(n.output().id())).append('\n');
        }
        return sb.append(graph.nodes().size()).append(" ops, interpreted\n").toString();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scope.close();
    }
}
