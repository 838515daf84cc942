/**
 * DDAMFN on the graph IR.
 *
 * <p>{@link dev.affect.engine.model.ddamfn.DdamfnNetwork} emits DDAMNet.forward exactly as the
 * authors' PyTorch code runs it (MDConv as split / depthwise per kernel / concat, coordinate
 * attention with its concat and split), parameters named by state_dict keys, in
 * {@link dev.affect.engine.model.ddamfn.DdamfnMode#INFERENCE} or
 * {@link dev.affect.engine.model.ddamfn.DdamfnMode#TRAINING} (batch statistics, the updated running
 * statistics as outputs). Inference rewrites are not made here but by {@code engine.graph.passes},
 * called from {@code Ddamfn.optimise}.
 *
 * <p>{@link dev.affect.engine.model.ddamfn.Ddamfn} loads a checkpoint into a
 * {@link dev.affect.engine.graph.ParameterStore}, prepares the graph once on a backend and compiles
 * every {@link dev.affect.engine.model.ddamfn.BatchBuckets batch bucket} at load; requests are padded
 * to a bucket or chunked, and run on a pool of workers, each with one backend workspace (the
 * largest bucket's activations) and one execution context per bucket placed on it, so concurrent
 * callers never share a context or workspace and never take a model-wide lock.
 */
package dev.affect.engine.model.ddamfn;
