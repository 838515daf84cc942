package dev.affect.engine.model.ddamfn;

import static dev.affect.engine.model.ddamfn.ModelFixtures.expectClose;
import static dev.affect.engine.model.ddamfn.ModelFixtures.npy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.DdamfnConfig;
import dev.affect.engine.model.DdamfnOutput;
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
        return Ddamfn.Options.allOutputs().withBuckets(BatchBuckets.of(buckets)).withContextsPerBucket(1);
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
}
