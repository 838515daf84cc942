package dev.affect.engine.training;

import static dev.affect.engine.training.HeadTrainingParityTest.assertRelative;

import com.fasterxml.jackson.databind.JsonNode;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.DdamfnMode;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.optim.Adam;
import dev.affect.engine.training.optim.Sam;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ddamfn_sam_step: the DDAMFN++ optimiser, SAM(Adam lr 1e-5, rho 0.05), on the ddamfn_step model
 * and data, driven as {@link TrainingStep#step} drives it. Checks the loss at w and at w + e; g1, e
 * (a scaled g1) and g2 by rule (D)'s gradient part; the running statistics after two train-mode
 * forwards and the parameters after the base step from w with g2 by rule (D). g2 and the second
 * forward's statistics get allowances, explained where they are checked.
 */
class DdamfnSamStepParityTest {
    static final double LR = 1e-5;
    static final double RHO = 0.05;

    static java.util.List<String> backends() {
        return TrainingBackends.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void oneSamStepMatchesPyTorch(String backendName) throws IOException {
        TrainingFixtures data = TrainingFixtures.of("ddamfn_step");
        TrainingFixtures f = TrainingFixtures.of("ddamfn_sam_step");
        Map<String, Tensor> inputs = Map.of(DdamfnNetwork.INPUT, data.npy("images.npy"));
        FrameTargets targets = FrameTargets.unmasked(data.npy("labels.npy"));
        JsonNode losses = f.json("losses.json");
        StateDict init = data.safetensors("init.safetensors");
        StateDict perturbedExpected = f.safetensors("perturbed_params.safetensors");
        StringBuilder report = new StringBuilder(backendName + " ddamfn_sam_step:");
        try (Backend backend = TrainingBackends.open(backendName);
             ParameterStore store = data.initialStore();
             TrainingStep<FrameTargets> step = TrainingStep.prepare(DdamfnNetwork.build(DdamfnStepParityTest.CONFIG,
                     DdamfnMode.TRAINING), backend, store, DdamfnObjective.authors(8, 2), new Sam(Adam.of(LR), RHO))) {
            Gradients first = step.gradients(inputs, targets);
            assertRelative(losses.get("loss").asDouble(), first.loss(), "loss at w");
            // ||g1|| is reported, not asserted: the README bounds the gradients themselves (rule (D)), not their norm
            report.append(String.format("%n  ||g1|| %.6g (torch %.6g)", norm(first.byParameter()),
                    losses.get("grad_norm").asDouble()));
            Map<String, float[]> perturbed = new LinkedHashMap<>();
            Gradients[] second = new Gradients[1];
            step.optimizer().step(store, first.byParameter(), () -> {
                for (String name : perturbedExpected.names()) {
                    perturbed.put(name, store.get(name).toFloatArray());
                }
                second[0] = step.gradients(inputs, targets);
                return second[0].byParameter();
            });
            assertRelative(losses.get("loss_perturbed").asDouble(), second[0].loss(), "loss at w + e");
            for (String name : perturbedExpected.names()) {
                report.append(assertPerturbation(name, perturbed.get(name), init.get(name).toFloatArray(),
                        perturbedExpected.get(name).toFloatArray()));
            }
            DdamfnRule.assertGradients(first.byParameter(), DdamfnStepParityTest.gradients(f, "grads_f64ref"), report);
            assertPerturbedGradients(second[0].byParameter(), DdamfnStepParityTest.gradients(f, "grads_perturbed_f64ref"),
                    DdamfnStepParityTest.gradients(f, "grads_perturbed"), report);
            // The second forward runs at w + e, and e carries g1's float32 spread: torch float32 itself is 3.2e-5 max|b|
            // off float64 here (case.json f32_vs_f64_torch.bn_running_max_rel_dev; 2.2e-7 for ddamfn_step). So every
            // statistic within 1e-4 max|b| of its tensor, and rule (D)'s element bound for all but 1% of them
            // (measured: reference 1 of 57344, cpu 101).
            report.append("\n  ").append(DdamfnRule.checkRunningStatistics(store, f.safetensors("bn_running.safetensors"),
                    1e-2, 1e-4));
            DdamfnRule.assertUpdated(store, f.safetensors("updated_params_f64ref.safetensors"),
                    DdamfnStepParityTest.gradients(f, "grads_perturbed_f64ref"), LR, report);
        }
        System.out.println(report);
    }

    private static double norm(Map<String, float[]> g) {
        double sum = 0;
        for (float[] v : g.values()) {
            for (float x : v) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * g2 is taken at w + e, whose e inherits g1's float32 spread, so torch float32 itself is 1e-3..4e-2
     * max|b| off its float64 g2 (the README states no g2 bound): each tensor is held to rule (D)'s
     * gradient tolerance or twice torch float32's own deviation on it, whichever is larger.
     */
    private static void assertPerturbedGradients(Map<String, float[]> actual, StateDict f64, StateDict torchF32,
            StringBuilder report) {
        for (String name : f64.names()) {
            float[] b = f64.get(name).toFloatArray();
            double torch = DdamfnRule.scaledDeviation(torchF32.get(name).toFloatArray(), b);
            double tolerance = Math.max(DdamfnRule.gradientTolerance(name), 2 * torch);
            double rel = DdamfnRule.assertScaled("g2 of " + name, actual.get(name), b, tolerance);
            report.append(String.format("%n  g2 %s: %.2e max|b| (torch f32 %.2e)", name, rel, torch));
        }
    }

    /**
     * w + e against torch's: e = rho g1 / ||g1|| is a scaled gradient, so it gets the gradient's
     * tolerance of max|e|, plus the float32 rounding of w + e on either side (an ulp each).
     */
    private static String assertPerturbation(String name, float[] actual, float[] w, float[] expected) {
        double maxE = 0;
        for (int i = 0; i < w.length; i++) {
            maxE = Math.max(maxE, Math.abs((double) expected[i] - w[i]));
        }
        double tolerance = DdamfnRule.gradientTolerance(name) * maxE;
        double worst = 0;
        for (int i = 0; i < w.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            worst = Math.max(worst, d / maxE);
            org.junit.jupiter.api.Assertions.assertTrue(d <= tolerance + 2 * Math.ulp(expected[i]),
                    "w + e of " + name + "[" + i + "] = " + actual[i] + ", torch " + expected[i] + " (max|e| " + maxE + ")");
        }
        return String.format("%n  w + e %s: max|a-b| %.2e max|e|", name, worst);
    }
}
