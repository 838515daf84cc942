package dev.affect.engine.model.ddamfn;

import static dev.affect.engine.model.ddamfn.ModelFixtures.expectClose;
import static dev.affect.engine.model.ddamfn.ModelFixtures.npy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnOutput;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The authors' graph against their PyTorch outputs (fixtures/reference) within 1e-4 relative: every
 * output and every backbone stage. The reference backend interprets in plain Java, so it gets few
 * runs of at most 4 frames; cpu (once it runs the graph IR) gets the same checks.
 */
class DdamfnParityTest {

    static Ddamfn.Options allOutputsAt(int... buckets) {
        return Ddamfn.Options.allOutputs().withBuckets(BatchBuckets.of(buckets)).withWorkers(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void eightClassModelMatchesPyTorchAtEveryStage(String backendName) throws IOException {
        try (Backend backend = ModelFixtures.open(backendName);
             Ddamfn model = ModelFixtures.load(ModelFixtures.reference("ddamfn_8_class.pth"), backend, allOutputsAt(4))) {
            assertEquals(new DdamfnConfig(8, 2), model.config());
            List<String> outputs = new ArrayList<>(List.of(DdamfnNetwork.LOGITS, DdamfnNetwork.EMBEDDING, DdamfnNetwork.FEATURES,
                    DdamfnNetwork.head(0), DdamfnNetwork.head(1)));
            for (int s = 0; s < DdamfnNetwork.STAGES; s++) {
                outputs.add(DdamfnNetwork.stage(s));
            }
            Map<String, Tensor> out = model.run(npy("input.npy"), outputs);
            String on = backendName + " ";
            expectClose(out.get(DdamfnNetwork.LOGITS), npy("logits.npy"), on + "logits");
            expectClose(out.get(DdamfnNetwork.EMBEDDING), npy("embedding.npy"), on + "embedding");
            expectClose(out.get(DdamfnNetwork.FEATURES), npy("features.npy"), on + "features");
            Tensor heads = npy("heads.npy");
            for (int h = 0; h < 2; h++) {
                expectClose(out.get(DdamfnNetwork.head(h)), heads.slice(h, h + 1), on + "head." + h);
            }
            for (int s = 0; s < DdamfnNetwork.STAGES; s++) {
                expectClose(out.get(DdamfnNetwork.stage(s)), npy("stages/features." + s + ".npy"), on + "features." + s);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void sevenClassFourHeadBareCheckpointMatches(String backendName) throws IOException {
        try (Backend backend = ModelFixtures.open(backendName);
             Ddamfn model = ModelFixtures.load(ModelFixtures.reference("ddamfn_7_class_bare.pth"), backend,
                     Ddamfn.Options.serving().withOutputs(DdamfnNetwork.forwardOutputs(new DdamfnConfig(7, 4)))
                             .withBuckets(BatchBuckets.of(4)).withWorkers(1))) {
            assertEquals(new DdamfnConfig(7, 4), model.config());
            DdamfnOutput out = model.infer(npy("input.npy"));
            String on = backendName + " ";
            expectClose(out.logits(), npy("logits_7.npy"), on + "logits_7");
            expectClose(out.embedding(), npy("embedding_7.npy"), on + "embedding_7");
            expectClose(out.features(), npy("features_7.npy"), on + "features_7");
            Tensor heads = npy("heads_7.npy");
            for (int h = 0; h < 4; h++) {
                expectClose(out.heads().get(h), heads.slice(h, h + 1), on + "heads_7 " + h);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void bf16WeightsMatchTheirOwnReference(String backendName) throws IOException {
        try (Backend backend = ModelFixtures.open(backendName);
             Ddamfn model = ModelFixtures.load(ModelFixtures.reference("ddamfn_8_class_bf16.safetensors"), backend,
                     Ddamfn.Options.serving().withBuckets(BatchBuckets.of(4)).withWorkers(1))) {
            Map<String, Tensor> out = model.run(npy("input.npy"), DdamfnNetwork.servingOutputs());
            expectClose(out.get(DdamfnNetwork.LOGITS), npy("logits_bf16.npy"), backendName + " bf16 logits");
            expectClose(out.get(DdamfnNetwork.EMBEDDING), npy("embedding_bf16.npy"), backendName + " bf16 embedding");
        }
    }

    /** The fast backends also load the .safetensors copy through a full run; the reference compares parameters instead. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu"})
    void safetensorsCheckpointMatches(String backendName) throws IOException {
        try (Backend backend = ModelFixtures.open(backendName);
             Ddamfn model = ModelFixtures.load(ModelFixtures.reference("ddamfn_8_class.safetensors"), backend,
                     Ddamfn.Options.serving().withBuckets(BatchBuckets.of(4)))) {
            Map<String, Tensor> out = model.run(npy("input.npy"), DdamfnNetwork.servingOutputs());
            expectClose(out.get(DdamfnNetwork.LOGITS), npy("logits.npy"), backendName + " safetensors logits");
            expectClose(out.get(DdamfnNetwork.EMBEDDING), npy("embedding.npy"), backendName + " safetensors embedding");
        }
    }
}
