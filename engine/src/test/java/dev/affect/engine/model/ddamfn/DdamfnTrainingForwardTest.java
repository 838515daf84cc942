package dev.affect.engine.model.ddamfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The authors' DDAMNet in train mode (fixtures/training/ddamfn_step): from init.safetensors on
 * images.npy, the logits (rel 1e-4) and the updated running statistics of all 149 BatchNorms
 * (bn_running.safetensors, |a-b| <= 1e-6 + 1e-4|b|). The 37 BatchNorms forward() never runs keep
 * their initial statistics, and so must not be in the graph's outputs.
 */
class DdamfnTrainingForwardTest {

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void logitsAndEveryRunningStatisticMatchTorchTrainMode(String backendName) throws IOException {
        StateDict init = CheckpointFiles.read(ModelFixtures.training("init.safetensors"));
        StateDict expected = CheckpointFiles.read(ModelFixtures.training("bn_running.safetensors"));
        assertEquals(298, expected.size());
        try (Backend backend = ModelFixtures.open(backendName);
             Ddamfn model = ModelFixtures.load(ModelFixtures.training("init.safetensors"), backend,
                     Ddamfn.Options.training(4).withWorkers(1))) {
            List<String> stats = model.outputNames().stream()
                    .filter(k -> k.endsWith(".running_mean") || k.endsWith(".running_var")).toList();
            assertEquals(2 * DdamfnNetworkTest.EXECUTED_BNS, stats.size());
            List<String> outputs = new ArrayList<>(stats);
            outputs.add(DdamfnNetwork.LOGITS);
            Map<String, Tensor> out = model.run(NpyReader.read(ModelFixtures.training("images.npy")), outputs);
            ModelFixtures.expectClose(out.get(DdamfnNetwork.LOGITS), NpyReader.read(ModelFixtures.training("logits.npy")),
                    backendName + " train-mode logits");
            double worst = 0;
            String worstKey = null;
            int compared = 0;
            for (String key : expected.names()) {
                Tensor want = expected.get(key);
                Tensor got = out.containsKey(key) ? out.get(key) : init.get(key); // unused BNs: unchanged
                assertEquals(want.numel(), got.numel(), key);
                for (long i = 0; i < want.numel(); i++) {
                    double b = want.getDouble(i);
                    double diff = Math.abs(got.getDouble(i) - b);
                    double allowed = 1e-6 + 1e-4 * Math.abs(b);
                    assertTrue(diff <= allowed, key + "[" + i + "]: " + got.getDouble(i) + " vs " + b);
                    if (diff / allowed > worst) {
                        worst = diff / allowed;
                        worstKey = key;
                    }
                }
                compared += out.containsKey(key) ? 1 : 0;
            }
            assertEquals(stats.size(), compared, "every updated statistic is in bn_running.safetensors");
            System.out.printf("parity %s train-mode running stats: worst |a-b| / (1e-6 + 1e-4|b|) = %.3f at %s%n",
                    backendName, worst, worstKey);
        }
    }
}
