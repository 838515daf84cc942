package dev.affect.engine.graph;

/**
 * Forms that exist for speed: emitted only by passes in {@code engine.graph.passes}, accepted only by
 * backends. Canonical ops stay pure so that autograd never has to understand an epilogue.
 */
public sealed interface FusedOp extends Op permits FusedConv2d {
}
