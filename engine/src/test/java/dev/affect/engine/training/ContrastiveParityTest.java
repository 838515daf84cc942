package dev.affect.engine.training;

import static dev.affect.engine.training.HeadTrainingParityTest.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.loss.ContrastiveLoss;
import dev.affect.engine.training.optim.Adam;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * contrastive_hard and contrastive_soft: five Adam steps of proj1/proj2 ({@link ProjectionGraph})
 * under the paper's loss with per-sample text embeddings {@code text_emb[label, template]}; losses
 * within 1e-4 relative, final weights by rule (W).
 */
class ContrastiveParityTest {
    static final double LR = 1e-3;

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String backend : TrainingBackends.ALL) {
            a.add(Arguments.of(backend, "contrastive_hard", ContrastiveLoss.Targets.HARD));
            a.add(Arguments.of(backend, "contrastive_soft", ContrastiveLoss.Targets.SOFT));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void fiveStepsMatchPyTorch(String backendName, String caseName, ContrastiveLoss.Targets variant) throws IOException {
        TrainingFixtures f = TrainingFixtures.of(caseName);
        Tensor image = f.npy("img_emb.npy");
        Tensor textByClass = f.npy("text_emb.npy");
        long[] labels = f.npy("labels.npy").toLongArray();
        long[] templates = f.npy("templates.npy").toLongArray();
        int width = image.shape().dim(1);
        int perClass = textByClass.shape().dim(1);
        float[] all = textByClass.toFloatArray();
        float[] text = new float[labels.length * width];
        for (int j = 0; j < labels.length; j++) {
            System.arraycopy(all, (int) ((labels[j] * perClass + templates[j]) * width), text, j * width, width);
        }
        ContrastiveTargets targets = new ContrastiveTargets(Tensor.of(text, labels.length, width), labels, null);
        Map<String, Tensor> inputs = Map.of(ProjectionGraph.INPUT, image);
        JsonNode losses = f.json("losses.json");
        StateDict expected = f.safetensors("final.safetensors");
        GradientRecorder recorder = new GradientRecorder(Adam.of(LR));
        try (Backend backend = TrainingBackends.open(backendName);
             ParameterStore store = f.initialStore();
             TrainingStep<ContrastiveTargets> step = TrainingStep.prepare(ProjectionGraph.build(width), backend, store,
                     expected.names(), ContrastiveObjective.of(variant), recorder)) {
            for (int k = 0; k < 5; k++) {
                StepResult r = step.step(inputs, targets);
                assertRelative(losses.get("losses").get(k).asDouble(), r.loss(), "loss before step " + (k + 1));
                assertEquals(labels.length, r.frames());
            }
            assertRelative(losses.get("final_loss").asDouble(), step.evaluate(inputs, targets).loss(), "final loss");
            System.out.println(backendName + " " + caseName + ": " + WeightRule.check(store, expected, recorder.steps, LR));
        }
    }
}
