package dev.affect.engine.training;

import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.training.optim.GradientSource;
import dev.affect.engine.training.optim.Optimizer;
import dev.affect.engine.training.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An optimiser that records the gradients of each update before passing them on (for rule (W2)'s mask). */
final class GradientRecorder implements Optimizer {
    private final Optimizer inner;
    final List<Map<String, float[]>> steps = new ArrayList<>();

    GradientRecorder(Optimizer inner) {
        this.inner = inner;
    }

    @Override
    public void step(ParameterStore store, Map<String, float[]> gradients, GradientSource source) {
        steps.add(gradients);
        inner.step(store, gradients, source);
    }

    @Override
    public long steps() {
        return inner.steps();
    }

    @Override
    public OptimizerState state() {
        return inner.state();
    }

    @Override
    public void restore(OptimizerState state) {
        inner.restore(state);
    }
}
