package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import java.util.List;

/** Drops nodes whose outputs nothing reads and no graph output names, and the parameters only they read. */
public final class DeadValueElimination implements GraphPass {

    @Override
    public Graph apply(Graph graph, ParameterStore store) {
        return graph.withOutputs(List.copyOf(graph.outputs().keySet()));
    }
}
