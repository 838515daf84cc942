package dev.affect.engine.backend.reference;

import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.tensor.Shape;
import java.util.Map;

/** The reference prepares nothing: it reads parameters from the store on every execution. */
final class ReferencePreparedModel implements PreparedModel {
    private final Graph graph;
    private final ParameterStore parameters;
    private volatile boolean closed;

    ReferencePreparedModel(Graph graph, ParameterStore parameters) {
        parameters.requireFor(graph);
        this.graph = graph;
        this.parameters = parameters;
    }

    @Override
    public Graph graph() {
        return graph;
    }

    @Override
    public ParameterStore parameters() {
        return parameters;
    }

    @Override
    public Executable compile(Map<String, Shape> inputShapes) {
        if (closed) {
            throw new IllegalStateException("prepared model is closed");
        }
        return new ReferenceExecutable(graph, parameters, inputShapes);
    }

    @Override
    public void close() {
        closed = true;
    }
}
