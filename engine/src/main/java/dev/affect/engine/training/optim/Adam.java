package dev.affect.engine.training.optim;

import dev.affect.engine.graph.ParameterStore;
import java.util.Map;

/** torch.optim.Adam (1.13, amsgrad off): weight decay, if any, is L2 added to the gradient. */
public final class Adam implements Optimizer {
    private final LearningRate rate;
    private final AdamSettings settings;
    private final AdamMoments moments;

    public Adam(LearningRate rate, AdamSettings settings) {
        this.rate = rate;
        this.settings = settings;
        this.moments = new AdamMoments(settings);
    }

    /** torch's defaults at a constant rate. */
    public static Adam of(double rate) {
        return new Adam(LearningRate.constant(rate), AdamSettings.defaults());
    }

    @Override
    public void step(ParameterStore store, Map<String, float[]> gradients, GradientSource source) {
        long t = moments.advance();
        double lr = rate.at(t);
        float decay = (float) settings.weightDecay();
        for (Map.Entry<String, float[]> e : gradients.entrySet()) {
            float[] p = StoreParameters.read(store, e.getKey());
            float[] g = e.getValue();
            if (decay != 0) {
                g = g.clone();
                for (int i = 0; i < g.length; i++) {
                    g[i] = g[i] + decay * p[i];
                }
            }
            moments.apply(e.getKey(), p, g, lr);
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
