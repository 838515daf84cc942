package dev.affect.engine.training.optim;

import java.util.Map;

/** Gradients of the current batch's loss at the parameter values the store holds now. */
@FunctionalInterface
public interface GradientSource {

    /** dL/dp by parameter name, for the same parameters as the first gradients. */
    Map<String, float[]> gradients();

    /** For optimisers driven by given gradients only. */
    static GradientSource none() {
        return () -> {
            throw new IllegalStateException("this update has no way to recompute gradients");
        };
    }
}
