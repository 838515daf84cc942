/**
 * Inference rewrites of a {@link dev.affect.engine.graph.Graph}: each pass is a small class with one
 * job that returns a new graph and only ever adds derived parameters to the
 * {@link dev.affect.engine.graph.ParameterStore} (remade by {@code refreshDerived()} after a training
 * update). Models emit the authors' canonical graph; fused forms are emitted only here.
 * {@link dev.affect.engine.graph.passes.InferencePasses} runs them in order.
 */
package dev.affect.engine.graph.passes;
