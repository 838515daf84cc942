package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;

/**
 * One graph rewrite. Pure: returns a new graph with the same named inputs and outputs and leaves the
 * given one alone; the only change it may make to the store is adding derived parameters, never
 * changing existing ones.
 */
@FunctionalInterface
public interface GraphPass {

    Graph apply(Graph graph, ParameterStore store);
}
