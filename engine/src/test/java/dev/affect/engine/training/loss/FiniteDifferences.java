package dev.affect.engine.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.ToDoubleFunction;

/** Central differences of a loss over its float inputs, to check analytic gradients against. */
final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /**
     * Asserts {@code analytic[i]} equals {@code (L(x + h e_i) - L(x - h e_i)) / 2h} for every i,
     * within {@code tolerance * max|analytic|}.
     */
    static void assertGradient(float[] x, float[] analytic, ToDoubleFunction<float[]> loss, float h, double tolerance) {
        double max = 0;
        for (float g : analytic) {
            max = Math.max(max, Math.abs(g));
        }
        for (int i = 0; i < x.length; i++) {
            float[] plus = x.clone();
            float[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (loss.applyAsDouble(plus) - loss.applyAsDouble(minus)) / (plus[i] - minus[i]);
            assertEquals(numeric, analytic[i], tolerance * max, "d loss / d x[" + i + "]");
        }
    }

    static float[] random(java.util.Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }
}
