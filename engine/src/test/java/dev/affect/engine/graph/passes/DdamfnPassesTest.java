package dev.affect.engine.graph.passes;

import static dev.affect.engine.graph.passes.PassTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Tensors;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Value;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnMode;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The passes on the real network: the authors' DDAMFN graph against InferencePasses.apply of it. */
class DdamfnPassesTest {

    @Test
    void passedGraphGivesTheAuthorsLogitsWithNoSplitConcatBatchNormOrTransposeLeft() throws IOException {
        StateDict sd = CheckpointFiles.read(SharedFixtures.reference("ddamfn_8_class.pth"));
        if (sd.allHavePrefix("module.")) {
            sd = sd.stripPrefix("module.");
        }
        Tensor input = NpyReader.read(SharedFixtures.reference("input.npy"));
        Tensor expectedLogits = NpyReader.read(SharedFixtures.reference("logits.npy"));
        DdamfnConfig cfg = DdamfnConfig.infer(sd.names(), sd.get("fc.weight").shape().dim(0));
        Graph authors = DdamfnNetwork.build(cfg, DdamfnMode.INFERENCE)
                .withOutputs(List.of(DdamfnNetwork.LOGITS, DdamfnNetwork.EMBEDDING));
        try (ParameterStore store = new ParameterStore()) {
            for (Value p : authors.parameters()) {
                store.put(p.name(), sd.get(p.name()));
            }
            Graph passed = InferencePasses.apply(authors, store);
            for (Class<? extends Op> op : List.of(Split.class, Concat.class, BatchNorm.class, Transpose.class, PRelu.class)) {
                assertEquals(0, count(passed, op), op.getSimpleName() + " left in the passed graph");
            }
            assertTrue(passed.nodes().size() * 2 < authors.nodes().size(),
                    passed.nodes().size() + " nodes after the passes, " + authors.nodes().size() + " before");

            Map<String, Tensor> in = Map.of(DdamfnNetwork.INPUT, input);
            Map<String, Tensor> before = PassTesting.reference(authors, store, in);
            Map<String, Tensor> after = PassTesting.reference(passed, store, in);
            for (String name : before.keySet()) {
                double err = Tensors.relativeError(after.get(name), before.get(name));
                assertTrue(err <= PassTesting.TOLERANCE, name + ": relative error " + err + " between the authors' and the passed graph");
            }
            // and both are the network the fixtures were made with (their README's 1e-4)
            double vsTorch = Tensors.relativeError(after.get(DdamfnNetwork.LOGITS), expectedLogits);
            assertTrue(vsTorch <= 1e-4, "passed graph vs PyTorch logits: relative error " + vsTorch);
        }
    }
}
