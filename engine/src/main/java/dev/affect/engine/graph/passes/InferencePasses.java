package dev.affect.engine.graph.passes;

import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import java.util.List;

/**
 * The inference rewrites in order: MDConv merge, coordinate-attention split (which leaves
 * conv -> BatchNorm pairs on each half), BatchNorm folding, epilogue fusion, then dead-value
 * cleanup. The result computes the same named outputs; derived parameters are added to the store
 * (and remade by {@link ParameterStore#refreshDerived()} after a training update).
 */
public final class InferencePasses {
    private InferencePasses() {
    }

    public static final List<GraphPass> PASSES = List.of(new MixDepthwiseMerge(), new CoordinateAttentionSplit(),
            new BatchNormFolding(), new EpilogueFusion(), new DeadValueElimination());

    public static Graph apply(Graph graph, ParameterStore store) {
        Graph g = graph;
        for (GraphPass p : PASSES) {
            g = p.apply(g, store);
        }
        return g;
    }
}
