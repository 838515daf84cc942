package dev.affect.engine.training.optim;

import dev.affect.engine.graph.ParameterStore;
import java.util.Map;

/**
 * torch.optim.AdamW (1.13): decoupled decay {@code p *= 1 - lr*wd} first, on every parameter it
 * updates (biases included, as with a single parameter group), then Adam's step without L2.
 */
public final class AdamW implements Optimizer {
    private final LearningRate rate;
    private final AdamSettings settings;
    private final AdamMoments moments;

    public AdamW(LearningRate rate, AdamSettings settings) {
        this.rate = rate;
        this.settings = settings;
        this.moments = new AdamMoments(settings);
    }

    @Override
    public void step(ParameterStore store, Map<String, float[]> gradients, GradientSource source) {
        long t = moments.advance();
        double lr = rate.at(t);
        float shrink = (float) (1 - lr * settings.weightDecay());
        for (Map.Entry<String, float[]> e : gradients.entrySet()) {
            float[] p = StoreParameters.read(store, e.getKey());
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] * shrink;
            }
            moments.apply(e.getKey(), p, e.getValue(), lr);
            StoreParameters.write(store, e.getKey(), p);
        }
    }

    @Override
    public long steps() {
        return moments.step();
    }

    @Override
    public OptimizerState state() {
        return moments.state();
    }

    @Override
    public void restore(OptimizerState state) {
        moments.restore(state);
    }
}
