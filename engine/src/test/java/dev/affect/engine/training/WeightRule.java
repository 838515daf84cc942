package dev.affect.engine.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.StateDict;
import java.util.List;
import java.util.Map;

/**
 * Rule (W) of fixtures/training/README.md for final weights after 5 Adam steps: (W1) pooled over all
 * elements, at least 99.99% within {@code 1e-6 + 1e-4|b|}; (W2) every element within lr/20, except
 * ill-conditioned ones (at any step |g| < 1e-2 max|g| of its tensor), within 2*lr*steps.
 */
final class WeightRule {
    static final double W1_FRACTION = 0.9999;

    private WeightRule() {
    }

    /** Asserts the rule; returns a one-line summary of the measured deviations. */
    static String check(ParameterStore store, StateDict expected, List<Map<String, float[]>> gradients, double lr) {
        long total = 0;
        long outside = 0;
        long ill = 0;
        double worstWell = 0;
        double worstIll = 0;
        int steps = gradients.size();
        for (String name : expected.names()) {
            float[] a = store.get(name).toFloatArray();
            float[] b = expected.get(name).toFloatArray();
            boolean[] illConditioned = illConditioned(name, gradients, b.length);
            for (int i = 0; i < b.length; i++) {
                double d = Math.abs((double) a[i] - b[i]);
                total++;
                outside += d > 1e-6 + 1e-4 * Math.abs(b[i]) ? 1 : 0;
                if (illConditioned[i]) {
                    ill++;
                    worstIll = Math.max(worstIll, d);
                    assertTrue(d <= 2 * lr * steps, name + "[" + i + "] (ill-conditioned) off by " + d);
                } else {
                    worstWell = Math.max(worstWell, d);
                    assertTrue(d <= lr / 20, name + "[" + i + "] off by " + d + " > lr/20");
                }
            }
        }
        double fractionOutside = (double) outside / total;
        String summary = String.format("W1 outside %.3g (allowed %.0e), ill-conditioned %.3f, max|d| well %.3g, ill %.3g",
                fractionOutside, 1 - W1_FRACTION, (double) ill / total, worstWell, worstIll);
        assertTrue(fractionOutside <= 1 - W1_FRACTION, "W1: " + summary);
        return summary;
    }

    /** Elements whose gradient at any step is below 1e-2 of its tensor's largest at that step. */
    static boolean[] illConditioned(String name, List<Map<String, float[]>> gradients, int size) {
        boolean[] ill = new boolean[size];
        for (Map<String, float[]> step : gradients) {
            float[] g = step.get(name);
            if (g == null) {
                throw new AssertionError("no gradient of " + name + " was recorded");
            }
            double max = 0;
            for (float x : g) {
                max = Math.max(max, Math.abs(x));
            }
            for (int i = 0; i < size; i++) {
                ill[i] |= Math.abs(g[i]) < 1e-2 * max;
            }
        }
        return ill;
    }
}
