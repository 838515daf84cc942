package dev.affect.engine.training.optim;

import dev.affect.engine.graph.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sharpness-aware minimisation around a base optimiser (the DDAMFN++ SAM, adaptive off): with g1 the
 * gradients at w, perturb every parameter with a gradient by {@code e = rho * g1 / (||g1||_2 + 1e-12)}
 * (one norm over all of them), take the gradients g2 at w + e, restore w and let the base optimiser
 * step from w with g2. Its state is the base optimiser's.
 */
public final class Sam implements Optimizer {
    static final double NORM_EPS = 1e-12;
    private final Optimizer base;
    private final double rho;

    public Sam(Optimizer base, double rho) {
        Rates.requirePositive(rho, "SAM rho");
        this.base = base;
        this.rho = rho;
    }

    @Override
    public void step(ParameterStore store, Map<String, float[]> gradients, GradientSource source) {
        float scale = (float) (rho / (norm(gradients) + NORM_EPS));
        Map<String, float[]> saved = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : gradients.entrySet()) {
            float[] p = StoreParameters.read(store, e.getKey());
            saved.put(e.getKey(), p.clone());
            float[] g = e.getValue();
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] + g[i] * scale;
            }
            StoreParameters.write(store, e.getKey(), p);
        }
        Map<String, float[]> perturbed;
        try {
            perturbed = source.gradients();
        } finally {
            saved.forEach((name, p) -> StoreParameters.write(store, name, p));
        }
        base.step(store, perturbed, source);
    }

    /** The L2 norm over every element of every gradient, in double. */
    static double norm(Map<String, float[]> gradients) {
        double sum = 0;
        for (float[] g : gradients.values()) {
            for (float x : g) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }

    @Override
    public long steps() {
        return base.steps();
    }

    @Override
    public OptimizerState state() {
        return base.state();
    }

    @Override
    public void restore(OptimizerState state) {
        base.restore(state);
    }
}
