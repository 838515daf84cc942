package dev.affect.engine.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adam and AdamW with torch 1.13's update rule, written out step by step for single elements. */
class OptimizersTest {
    private static final double LR = 0.1;

    static ParameterStore store(float... values) {
        ParameterStore s = new ParameterStore();
        s.put("w", Tensor.of(values, values.length));
        return s;
    }

    static Map<String, float[]> grad(float... g) {
        Map<String, float[]> m = new LinkedHashMap<>();
        m.put("w", g);
        return m;
    }

    @Test
    void adamsFirstStepMovesEachElementByAboutTheRateAgainstItsGradient() {
        ParameterStore s = store(1, 1, 1);
        Adam adam = Adam.of(LR);
        adam.step(s, grad(0.5f, -2, 0), GradientSource.none());
        // m = 0.1 g, v = 0.001 g^2; m/(1-0.9) = g, sqrt(v/(1-0.999)) = |g|: p -= lr * g / (|g| + eps)
        assertArrayEquals(new float[] {0.9f, 1.1f, 1}, s.get("w").toFloatArray(), 1e-6f);
        assertEquals(1, adam.steps());
    }

    @Test
    void adamsSecondStepFollowsTheBiasCorrectedMoments() {
        ParameterStore s = store(1);
        Adam adam = Adam.of(LR);
        adam.step(s, grad(1), GradientSource.none());
        adam.step(s, grad(0.5f), GradientSource.none());
        double m = 0.9 * 0.1 + 0.1 * 0.5;
        double v = 0.999 * 0.001 + 0.001 * 0.25;
        double second = LR / (1 - 0.81) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 * 0.999) + 1e-8);
        assertEquals(1 - LR - second, s.get("w").getFloat(0), 1e-6);
    }

    @Test
    void adamWeightDecayIsL2OnTheGradientWhileAdamWDecaysTheWeightItself() {
        float[] zero = {0};
        ParameterStore coupled = store(2);
        new Adam(LearningRate.constant(LR), AdamSettings.defaults().withWeightDecay(0.5))
                .step(coupled, grad(zero), GradientSource.none());
        // g = 0 + 0.5 * 2 = 1: a full Adam step of -lr
        assertEquals(2 - LR, coupled.get("w").getFloat(0), 1e-6);

        ParameterStore decoupled = store(2);
        new AdamW(LearningRate.constant(LR), AdamSettings.defaults().withWeightDecay(0.5))
                .step(decoupled, grad(zero), GradientSource.none());
        // p *= 1 - lr*wd; a zero gradient then moves nothing
        assertEquals(2 * (float) (1 - LR * 0.5), decoupled.get("w").getFloat(0), 0);
    }

    @Test
    void adamWDecaysBeforeTheAdamStep() {
        ParameterStore s = store(2);
        new AdamW(LearningRate.constant(LR), AdamSettings.defaults().withWeightDecay(0.5)).step(s, grad(3),
                GradientSource.none());
        assertEquals(2 * (1 - LR * 0.5) - LR, s.get("w").getFloat(0), 1e-6);
    }

    @Test
    void theScheduleGivesEachUpdateItsRate() {
        ParameterStore s = store(0);
        Adam adam = new Adam(new StepDecay(LR, 0.5, 1), AdamSettings.defaults());
        adam.step(s, grad(1), GradientSource.none());
        float afterFirst = s.get("w").getFloat(0);
        assertEquals(-LR, afterFirst, 1e-6);
        adam.step(s, grad(1), GradientSource.none());
        // constant gradient: bias-corrected m/sqrt(v) stays 1, so the second update is the halved rate
        assertEquals(-LR - LR / 2, s.get("w").getFloat(0), 1e-6);
    }

    @Test
    void resumingFromASavedStateIsBitIdenticalToNotStopping() {
        float[][] grads = {{0.3f, -1.2f, 0.01f}, {-0.7f, 0.4f, 2f}, {1.5f, -0.02f, 0.6f}, {0.2f, 0.2f, -0.9f}};
        ParameterStore straight = store(0.5f, -0.25f, 1.75f);
        AdamW a = new AdamW(LearningRate.constant(1e-3), AdamSettings.defaults().withWeightDecay(0.5));
        for (float[] g : grads) {
            a.step(straight, grad(g), GradientSource.none());
        }
        ParameterStore resumed = store(0.5f, -0.25f, 1.75f);
        AdamW first = new AdamW(LearningRate.constant(1e-3), AdamSettings.defaults().withWeightDecay(0.5));
        first.step(resumed, grad(grads[0]), GradientSource.none());
        first.step(resumed, grad(grads[1]), GradientSource.none());
        OptimizerState saved = OptimizerState.fromStateDict(first.state().toStateDict());
        AdamW second = new AdamW(LearningRate.constant(1e-3), AdamSettings.defaults().withWeightDecay(0.5));
        second.restore(saved);
        assertEquals(2, second.steps());
        second.step(resumed, grad(grads[2]), GradientSource.none());
        second.step(resumed, grad(grads[3]), GradientSource.none());
        assertArrayEquals(straight.get("w").toFloatArray(), resumed.get("w").toFloatArray(), 0f);

        AdamW fresh = new AdamW(LearningRate.constant(1e-3), AdamSettings.defaults().withWeightDecay(0.5));
        ParameterStore notRestored = store(resumed.get("w").toFloatArray());
        fresh.step(notRestored, grad(grads[0]), GradientSource.none());
        assertNotEquals(straight.get("w").getFloat(0), notRestored.get("w").getFloat(0), "a fresh state would differ");
    }

    @Test
    void samStepsTheBaseFromTheOriginalWeightsWithTheGradientAtThePerturbedOnes() {
        // L = 0.5 * sum a_i w_i^2, so dL/dw = a * w at whatever the store holds
        float[] a = {1, 4};
        float[] w0 = {3, -1};
        ParameterStore s = store(w0);
        float[][] seen = new float[1][];
        GradientSource atStore = () -> {
            float[] w = s.get("w").toFloatArray();
            seen[0] = w;
            return grad(a[0] * w[0], a[1] * w[1]);
        };
        Adam baseOfSam = Adam.of(LR);
        new Sam(baseOfSam, 0.05).step(s, grad(a[0] * w0[0], a[1] * w0[1]), atStore);

        double norm = Math.hypot(3, -4);
        float[] perturbed = {(float) (3 + 0.05 * 3 / norm), (float) (-1 - 0.05 * 4 / norm)};
        assertArrayEquals(perturbed, seen[0], 1e-6f, "gradient taken at w + rho g / |g|");
        ParameterStore expected = store(w0);
        Adam.of(LR).step(expected, grad(a[0] * perturbed[0], a[1] * perturbed[1]), GradientSource.none());
        assertArrayEquals(expected.get("w").toFloatArray(), s.get("w").toFloatArray(), 0f);
        assertEquals(1, baseOfSam.steps());
    }
}
