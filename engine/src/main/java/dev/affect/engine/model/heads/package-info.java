/**
 * Temporal heads over per-frame embeddings, and the pipeline that feeds them from a backbone.
 *
 * <ul>
 *   <li>{@link dev.affect.engine.model.heads.Task}: VA (2, tanh), EXPR (8, softmax), AU (12, sigmoid);
 *       a task layer with another state_dict prefix makes a raw head.</li>
 *   <li>{@link dev.affect.engine.model.heads.FcHead}: fc, ReLU, task layer, per frame.</li>
 *   <li>{@link dev.affect.engine.model.heads.LstmHead}: one-layer LSTM, fc, ReLU, task layer; the
 *       per-sequence (h, c) is a {@link dev.affect.engine.model.heads.HeadState} the caller owns.
 *       {@code step} advances a batch of rows from different sequences by one frame each;
 *       {@code sequence} runs a clip of one sequence. Both give the same values.</li>
 *   <li>{@link dev.affect.engine.model.heads.Pipeline}: one backbone pass per frame, then every
 *       head; {@link dev.affect.engine.model.heads.PipelineState} holds one sequence's head states.</li>
 * </ul>
 *
 * <p>Each head is a graph on the graph IR, prepared once on a backend with its own
 * {@link dev.affect.engine.graph.ParameterStore} and compiled ahead of time for batch buckets
 * ({@link dev.affect.engine.model.heads.HeadOptions}); calls borrow a pooled execution context per
 * bucket, so heads are thread-safe without a lock. Sizes (D, H, F, n) come from the checkpoint;
 * a checkpoint that does not fit is an {@link dev.affect.engine.InvalidInputException} naming the key.
 */
package dev.affect.engine.model.heads;
