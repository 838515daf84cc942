package dev.affect.engine.training.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The moment update and step of torch 1.13's single-tensor Adam, shared by {@link Adam} and
 * {@link AdamW}: float32 moments and arithmetic, bias corrections in double.
 */
final class AdamMoments {
    private final AdamSettings settings;
    private final Map<String, float[]> expAvg = new LinkedHashMap<>();
    private final Map<String, float[]> expAvgSq = new LinkedHashMap<>();
    private long step;

    AdamMoments(AdamSettings settings) {
        this.settings = settings;
    }

    /** Starts update number {@link #step()} + 1 and returns it. */
    long advance() {
        return ++step;
    }

    long step() {
        return step;
    }

    /**
     * {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; p += -(lr/bc1) * m / (sqrt(v)/sqrt(bc2) + eps)}
     * for the current update, in place on {@code p}.
     */
    void apply(String name, float[] p, float[] g, double lr) {
        if (p.length != g.length) {
            throw new IllegalArgumentException("gradient of " + name + " has " + g.length + " values, the parameter "
                    + p.length);
        }
        float[] m = expAvg.computeIfAbsent(name, k -> new float[p.length]);
        float[] v = expAvgSq.computeIfAbsent(name, k -> new float[p.length]);
        float beta1 = (float) settings.beta1();
        float beta2 = (float) settings.beta2();
        float oneMinusBeta1 = (float) (1 - settings.beta1());
        float oneMinusBeta2 = (float) (1 - settings.beta2());
        double correction1 = 1 - Math.pow(settings.beta1(), step);
        float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(settings.beta2(), step));
        float stepSize = (float) -(lr / correction1);
        float eps = (float) settings.eps();
        for (int i = 0; i < p.length; i++) {
            m[i] = m[i] * beta1 + oneMinusBeta1 * g[i];
            v[i] = v[i] * beta2 + oneMinusBeta2 * g[i] * g[i];
            float denom = (float) Math.sqrt(v[i]) / correction2Sqrt + eps;
            p[i] = p[i] + stepSize * (m[i] / denom);
        }
    }

    OptimizerState state() {
        return new OptimizerState(step, expAvg, expAvgSq);
    }

    void restore(OptimizerState s) {
        expAvg.clear();
        expAvgSq.clear();
        expAvg.putAll(OptimizerState.deepCopy(s.expAvg()));
        expAvgSq.putAll(OptimizerState.deepCopy(s.expAvgSq()));
        step = s.step();
    }
}
