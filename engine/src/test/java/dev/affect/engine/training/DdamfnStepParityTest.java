package dev.affect.engine.training;

import static dev.affect.engine.training.HeadTrainingParityTest.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnMode;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.optim.Adam;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ddamfn_step: one train-mode Adam step (lr 1e-4) of the authors' DDAMNet (8 classes, 2 heads) on
 * four images through {@link TrainingStep} with {@link DdamfnObjective#authors}: the loss within 1e-4
 * relative, the saved gradients, every BatchNorm's running statistics and the saved updated
 * parameters by rule (D).
 */
class DdamfnStepParityTest {
    static final double LR = 1e-4;
    static final DdamfnConfig CONFIG = new DdamfnConfig(8, 2);

    static java.util.List<String> backends() {
        return TrainingBackends.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void oneAdamStepMatchesPyTorch(String backendName) throws IOException {
        TrainingFixtures f = TrainingFixtures.of("ddamfn_step");
        Map<String, Tensor> inputs = Map.of(DdamfnNetwork.INPUT, f.npy("images.npy"));
        FrameTargets targets = FrameTargets.unmasked(f.npy("labels.npy"));
        GradientRecorder recorder = new GradientRecorder(Adam.of(LR));
        StringBuilder report = new StringBuilder(backendName + " ddamfn_step:");
        try (Backend backend = TrainingBackends.open(backendName);
             ParameterStore store = f.initialStore();
             TrainingStep<FrameTargets> step = TrainingStep.prepare(DdamfnNetwork.build(CONFIG, DdamfnMode.TRAINING),
                     backend, store, DdamfnObjective.authors(CONFIG.numClass(), CONFIG.numHead()), recorder)) {
            StepResult r = step.step(inputs, targets);
            assertRelative(f.json("losses.json").get("loss").asDouble(), r.loss(), "loss");
            assertEquals(4, r.frames());
            DdamfnRule.assertGradients(recorder.steps.get(0), gradients(f, "grads_f64ref"), report);
            report.append("\n  ").append(DdamfnRule.assertRunningStatistics(store, f.safetensors("bn_running.safetensors")));
            DdamfnRule.assertUpdated(store, f.safetensors("updated_params_f64ref.safetensors"),
                    gradients(f, "grads_f64ref"), LR, report);
        }
        System.out.println(report);
    }

    /** grads_f64ref/<key>.npy of the six saved parameters, by key. */
    static StateDict gradients(TrainingFixtures f, String folder) throws IOException {
        Map<String, Tensor> m = new java.util.LinkedHashMap<>();
        try (var files = java.nio.file.Files.list(f.dir().resolve(folder))) {
            for (var p : files.sorted().toList()) {
                String key = p.getFileName().toString().replaceFirst("\\.npy$", "");
                m.put(key, dev.affect.engine.io.NpyReader.read(p));
            }
        }
        return new StateDict(m);
    }
}
