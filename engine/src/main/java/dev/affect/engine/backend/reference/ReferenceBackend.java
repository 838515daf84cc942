package dev.affect.engine.backend.reference;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.Workspace;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;

/** The oracle: pure Java, runs graphs exactly as written (no fusion). Slow by design. */
public final class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String description() {
        return "pure Java reference (" + Runtime.getRuntime().availableProcessors() + " threads)";
    }

    @Override
    public void close() {
    }

    @Override
    public PreparedModel prepare(Graph graph, ParameterStore parameters) {
        return new ReferencePreparedModel(graph, parameters);
    }

    /** Holds no memory: reference contexts keep nothing in a workspace. */
    @Override
    public Workspace newWorkspace(long bytes) {
        return new ReferenceWorkspace(bytes);
    }
}
