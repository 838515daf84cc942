package dev.affect.engine.training.optim;

import dev.affect.engine.graph.ParameterStore;
import java.util.Map;

/**
 * Updates parameters in a {@link ParameterStore} from their gradients, with torch 1.13 semantics.
 * The parameters updated are exactly the keys of the gradient map (torch skips parameters without
 * a gradient the same way). Not thread-safe.
 */
public interface Optimizer {

    /**
     * One update. {@code gradients} are dL/dp at the store's current values; {@code source} recomputes
     * them at whatever values the store holds when called (SAM evaluates a second point; the others
     * never call it).
     */
    void step(ParameterStore store, Map<String, float[]> gradients, GradientSource source);

    /** The updates made so far (torch's {@code step}). */
    long steps();

    /** A copy of everything the next updates depend on, to checkpoint. */
    OptimizerState state();

    /** Continues from a saved state, so that resumed training is bit-identical to uninterrupted training. */
    void restore(OptimizerState state);
}
