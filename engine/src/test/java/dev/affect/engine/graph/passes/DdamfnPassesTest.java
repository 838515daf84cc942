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
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnMode;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The passes on the real network: the authors' DDAMFN graph against InferencePasses.apply of it. */
class DdamfnPassesTest {

    /** Model 1 of the fixtures (8 classes) as the authors' inference graph with the given outputs, and its store. */
    private static Graph authors(ParameterStore store, List<String> outputs) throws IOException {
        StateDict sd = CheckpointFiles.read(SharedFixtures.reference("ddamfn_8_class.pth"));
        if (sd.allHavePrefix("module.")) {
            sd = sd.stripPrefix("module.");
        }
        DdamfnConfig cfg = DdamfnConfig.infer(sd.names(), sd.get("fc.weight").shape().dim(0));
        Graph g = DdamfnNetwork.build(cfg, DdamfnMode.INFERENCE).withOutputs(outputs);
        for (Value p : g.parameters()) {
            store.put(p.name(), sd.get(p.name()));
        }
        return g;
    }

    private static Map<String, Tensor> input() throws IOException {
        return Map.of(DdamfnNetwork.INPUT, NpyReader.read(SharedFixtures.reference("input.npy")));
    }

    private static Tensor torchLogits() throws IOException {
        return NpyReader.read(SharedFixtures.reference("logits.npy"));
    }

    @Test
    void passedGraphGivesTheAuthorsLogitsWithNoSplitConcatBatchNormOrTransposeLeft() throws IOException {
        try (ParameterStore store = new ParameterStore()) {
            Graph authors = authors(store, List.of(DdamfnNetwork.LOGITS, DdamfnNetwork.EMBEDDING));
            Graph passed = InferencePasses.apply(authors, store);
            for (Class<? extends Op> op : List.of(Split.class, Concat.class, BatchNorm.class, Transpose.class, PRelu.class)) {
                assertEquals(0, count(passed, op), op.getSimpleName() + " left in the passed graph");
            }
            // measured: 904 nodes -> 396
            assertTrue(passed.nodes().size() * 2 < authors.nodes().size(),
                    passed.nodes().size() + " nodes after the passes, " + authors.nodes().size() + " before");

            Map<String, Tensor> before = PassTesting.reference(authors, store, input());
            Map<String, Tensor> after = PassTesting.reference(passed, store, input());
            for (String name : before.keySet()) {
                double err = Tensors.relativeError(after.get(name), before.get(name));
                assertTrue(err <= PassTesting.TOLERANCE, name + ": relative error " + err + " between the authors' and the passed graph");
            }
            // and both are the network the fixtures were made with (their README's 1e-4)
            double vsTorch = Tensors.relativeError(after.get(DdamfnNetwork.LOGITS), torchLogits());
            assertTrue(vsTorch <= 1e-4, "passed graph vs PyTorch logits: relative error " + vsTorch);
        }
    }

    @Test
    void passedGraphOnTheCpuBackendGivesPyTorchsLogits() throws IOException {
        RequiredBackend.require("cpu");
        try (ParameterStore store = new ParameterStore()) {
            Graph passed = InferencePasses.apply(authors(store, List.of(DdamfnNetwork.LOGITS)), store);
            Tensor logits = PassTesting.run("cpu", passed, store, input()).get(DdamfnNetwork.LOGITS);
            double err = Tensors.relativeError(logits, torchLogits());
            assertTrue(err <= 1e-4, "passed graph on cpu vs PyTorch logits: relative error " + err);
        }
    }
}
