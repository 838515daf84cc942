package dev.affect.engine.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.heads.HeadTrainingGraphs;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.optim.Adam;
import dev.affect.engine.training.optim.AdamSettings;
import dev.affect.engine.training.optim.AdamW;
import dev.affect.engine.training.optim.LearningRate;
import dev.affect.engine.training.optim.Optimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FC and LSTM head cases of fixtures/training: five training steps on B = 4 windows of T = 10
 * embeddings from {@code init.safetensors}, through {@link TrainingStep} (autograd's backward
 * graph on the backend, the loss on the host, the optimiser on the store). Every loss of
 * {@code losses.json} within 1e-4 relative, and {@code final.safetensors} by rule (W) with the
 * ill-conditioned mask from this run's own gradients.
 */
class HeadTrainingParityTest {
    static final double LR = 1e-3;
    static final int STEPS = 5;
    static final int WINDOW = 10;
    static final List<String> CASES = List.of("fc_va_adam", "fc_expr_adam", "fc_au_adam", "lstm_va_adam", "lstm_expr_adam",
            "lstm_au_adamw");

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String backend : TrainingBackends.ALL) {
            for (String c : CASES) {
                a.add(Arguments.of(backend, c));
            }
        }
        return a.stream();
    }

    static Task taskOf(String c) {
        return c.contains("_va_") ? Task.VA : c.contains("_expr_") ? Task.EXPR : Task.AU;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void fiveStepsMatchPyTorch(String backendName, String caseName) throws IOException {
        TrainingFixtures f = TrainingFixtures.of(caseName);
        Task task = taskOf(caseName);
        Graph graph = caseName.startsWith("lstm") ? HeadTrainingGraphs.lstm(task, WINDOW) : HeadTrainingGraphs.fc(task, WINDOW);
        Optimizer base = caseName.endsWith("adamw")
                ? new AdamW(LearningRate.constant(LR), AdamSettings.defaults().withWeightDecay(0.5))
                : Adam.of(LR);
        GradientRecorder recorder = new GradientRecorder(base);
        Map<String, Tensor> inputs = Map.of(HeadTrainingGraphs.X, f.npy("x.npy"));
        FrameTargets targets = FrameTargets.unmasked(f.npy("y.npy"));
        JsonNode losses = f.json("losses.json");
        StateDict expected = f.safetensors("final.safetensors");
        try (Backend backend = TrainingBackends.open(backendName);
             ParameterStore store = f.initialStore();
             TrainingStep<FrameTargets> step = TrainingStep.prepare(graph, backend, store, expected.names(),
                     HeadObjective.forTask(task), recorder)) {
            for (int k = 0; k < STEPS; k++) {
                StepResult r = step.step(inputs, targets);
                assertRelative(losses.get("losses").get(k).asDouble(), r.loss(), "loss before step " + (k + 1));
                assertEquals(40, r.frames());
            }
            assertRelative(losses.get("final_loss").asDouble(), step.evaluate(inputs, targets).loss(), "final loss");
            String summary = WeightRule.check(store, expected, recorder.steps, LR);
            System.out.println(backendName + " " + caseName + ": " + summary);
        }
    }

    static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-4 * Math.abs(expected), what);
    }
}
