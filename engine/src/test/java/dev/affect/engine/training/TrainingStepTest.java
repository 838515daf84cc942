package dev.affect.engine.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.model.heads.HeadTrainingGraphs;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.loss.FrameMask;
import dev.affect.engine.training.optim.Adam;
import dev.affect.engine.training.optim.GradientSource;
import dev.affect.engine.training.optim.Sam;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TrainingStep's contract on a small FC head (reference backend): freezing, masks, shapes, SAM, bad input. */
class TrainingStepTest {
    static final int WINDOW = 3;
    static final Graph GRAPH = HeadTrainingGraphs.fc(Task.EXPR, WINDOW);

    static ParameterStore store(long seed) {
        Random r = new Random(seed);
        ParameterStore s = new ParameterStore();
        s.put("fc.weight", gaussian(r, 0.05f, 512, 512));
        s.put("fc.bias", gaussian(r, 0.05f, 512));
        s.put("expr.weight", gaussian(r, 0.05f, 8, 512));
        s.put("expr.bias", gaussian(r, 0.05f, 8));
        return s;
    }

    static Tensor gaussian(Random r, float scale, int... dims) {
        float[] v = new float[Math.toIntExact(Shape.of(dims).numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * scale;
        }
        return Tensor.of(v, dims);
    }

    static Map<String, Tensor> windows(int batch) {
        return Map.of(HeadTrainingGraphs.X, gaussian(new Random(batch), 1, batch, WINDOW, 512));
    }

    static FrameTargets labels(int batch, FrameMask mask) {
        long[] y = new long[batch * WINDOW];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 8;
        }
        return new FrameTargets(Tensor.ofLongs(y, batch, WINDOW), mask);
    }

    @Test
    void onlyTheTrainableParametersMoveAndTheLossFalls() {
        try (Backend backend = TrainingBackends.open(TrainingBackends.REFERENCE);
             ParameterStore s = store(1);
             TrainingStep<FrameTargets> step = TrainingStep.prepare(GRAPH, backend, s, List.of("expr.weight", "expr.bias"),
                     HeadObjective.forTask(Task.EXPR), Adam.of(1e-2))) {
            float[] fc = s.get("fc.weight").toFloatArray();
            float[] expr = s.get("expr.weight").toFloatArray();
            double first = step.step(windows(2), labels(2, null)).loss();
            double second = step.step(windows(2), labels(2, null)).loss();
            assertTrue(second < first, "loss " + first + " then " + second);
            assertArrayEquals(fc, s.get("fc.weight").toFloatArray(), 0f, "frozen");
            assertFalse(java.util.Arrays.equals(expr, s.get("expr.weight").toFloatArray()), "trained");
            assertEquals(2, step.optimizer().steps());
        }
    }

    @Test
    void aBatchWithoutValidFramesUpdatesNothingAndMaskedFramesGetNoGradient() {
        try (Backend backend = TrainingBackends.open(TrainingBackends.REFERENCE);
             ParameterStore s = store(2);
             TrainingStep<FrameTargets> step = TrainingStep.prepare(GRAPH, backend, s, HeadObjective.forTask(Task.EXPR),
                     Adam.of(1e-2))) {
            long version = s.version();
            StepResult none = step.step(windows(2), labels(2, FrameMask.of(new boolean[6])));
            assertFalse(none.updated());
            assertEquals(version, s.version());
            assertEquals(0, step.optimizer().steps());

            // Frames 3..5 masked: the gradient equals that of the first window alone.
            boolean[] firstWindow = {true, true, true, false, false, false};
            Gradients masked = step.gradients(windows(2), labels(2, FrameMask.of(firstWindow)));
            assertEquals(3, masked.frames());
            Tensor x = windows(2).get(HeadTrainingGraphs.X);
            Gradients alone = step.gradients(Map.of(HeadTrainingGraphs.X, x.slice(0, 1)), labels(1, null));
            assertEquals(alone.loss(), masked.loss(), 1e-6);
            assertArrayEquals(alone.byParameter().get("expr.weight"), masked.byParameter().get("expr.weight"), 1e-6f);
        }
    }

    @Test
    void samThroughTheStepEvaluatesTheSecondPointAndStepsFromTheFirst() {
        try (Backend backend = TrainingBackends.open(TrainingBackends.REFERENCE);
             ParameterStore viaStep = store(3);
             ParameterStore manual = store(3);
             TrainingStep<FrameTargets> sam = TrainingStep.prepare(GRAPH, backend, viaStep, HeadObjective.forTask(Task.EXPR),
                     new Sam(Adam.of(1e-2), 0.05));
             TrainingStep<FrameTargets> plain = TrainingStep.prepare(GRAPH, backend, manual, HeadObjective.forTask(Task.EXPR),
                     Adam.of(1e-2))) {
            sam.step(windows(2), labels(2, null));
            // by hand: g1 at w, w + rho g1/|g1|, g2 there, back to w, Adam with g2
            Map<String, float[]> g1 = plain.gradients(windows(2), labels(2, null)).byParameter();
            double norm = 0;
            for (float[] g : g1.values()) {
                for (float v : g) {
                    norm += (double) v * v;
                }
            }
            float scale = (float) (0.05 / (Math.sqrt(norm) + 1e-12));
            Map<String, float[]> w = new java.util.LinkedHashMap<>();
            g1.forEach((name, g) -> {
                float[] p = manual.get(name).toFloatArray();
                w.put(name, p.clone());
                for (int i = 0; i < p.length; i++) {
                    p[i] += g[i] * scale;
                }
                manual.update(name, Tensor.of(p, manual.get(name).shape().dims()));
            });
            Map<String, float[]> g2 = plain.gradients(windows(2), labels(2, null)).byParameter();
            w.forEach((name, p) -> manual.update(name, Tensor.of(p, manual.get(name).shape().dims())));
            assertNotEquals(g1.get("expr.bias")[0], g2.get("expr.bias")[0]);
            plain.optimizer().step(manual, g2, GradientSource.none());
            for (String name : g1.keySet()) {
                assertArrayEquals(manual.get(name).toFloatArray(), viaStep.get(name).toFloatArray(), 1e-7f, name);
            }
        }
    }

    @Test
    void eachBatchSizeCompilesItsOwnPassAndBadInputIsNamed() {
        try (Backend backend = TrainingBackends.open(TrainingBackends.REFERENCE);
             ParameterStore s = store(4);
             TrainingStep<FrameTargets> step = TrainingStep.prepare(GRAPH, backend, s, HeadObjective.forTask(Task.EXPR),
                     Adam.of(1e-3))) {
            assertEquals(6, step.gradients(windows(2), labels(2, null)).frames());
            assertEquals(9, step.gradients(windows(3), labels(3, null)).frames());
            InvalidInputException missing = assertThrows(InvalidInputException.class,
                    () -> step.step(Map.of(), labels(2, null)));
            assertTrue(missing.getMessage().contains(HeadTrainingGraphs.X), missing.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> step.step(Map.of("embeddings", Tensor.zeros(Shape.of(2, WINDOW, 512))), labels(2, null)));
            assertThrows(IllegalArgumentException.class, () -> TrainingStep.prepare(GRAPH, backend, s,
                    List.of("lstm.weight_ih_l0"), HeadObjective.forTask(Task.EXPR), Adam.of(1e-3)));
        }
    }
}
