/**
 * ABAW evaluation metrics, computed in float64 exactly as the challenge's reference (sklearn 1.2)
 * does: {@link dev.affect.engine.metrics.Ccc} and {@link dev.affect.engine.metrics.VaMetrics} for
 * valence/arousal, {@link dev.affect.engine.metrics.ExprMetrics} (macro F1 over the 8 classes,
 * zero_division=0) and {@link dev.affect.engine.metrics.AuMetrics} (binary F1 per AU at 0.5 and a
 * per-AU threshold search). Inputs are plain arrays; callers drop invalid frames first.
 */
package dev.affect.engine.metrics;
