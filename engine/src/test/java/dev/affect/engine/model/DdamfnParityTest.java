package dev.affect.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendProvider;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.Plan;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DDAMFN against the authors' PyTorch outputs (fixtures/reference), on every backend, from both
 * checkpoint formats: every output and every backbone stage within 1e-4 relative error.
 */
class DdamfnParityTest {
    static final double TOLERANCE = 1e-4;

    static Stream<Arguments> backendsAndCheckpoints() {
        List<Arguments> a = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            for (String ckpt : List.of("ddamfn_8_class.pth", "ddamfn_8_class.safetensors")) {
                a.add(Arguments.of(p.name(), ckpt));
            }
        }
        return a.stream();
    }

    static Backend open(String name) {
        return RequiredBackend.require(name).open(dev.affect.engine.backend.BackendOptions.defaults());
    }

    static Tensor npy(String name) throws IOException {
        return NpyReader.read(SharedFixtures.reference(name));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("backendsAndCheckpoints")
    void eightClassModelMatchesPyTorch(String backendName, String checkpoint) throws IOException {
        StateDict sd = CheckpointFiles.read(SharedFixtures.reference(checkpoint));
        try (Backend backend = open(backendName); Ddamfn model = Ddamfn.create(sd, backend)) {
            assertEquals(new DdamfnConfig(8, 2), model.config());
            List<String> outputs = new ArrayList<>(List.of(DdamfnGraph.LOGITS, DdamfnGraph.EMBEDDING, DdamfnGraph.FEATURES,
                    DdamfnGraph.head(0), DdamfnGraph.head(1)));
            for (int s = 0; s <= 8; s++) {
                outputs.add(DdamfnGraph.stage(s));
            }
            Map<String, Tensor> out = model.run(npy("input.npy"), outputs);
            expectClose(out.get(DdamfnGraph.LOGITS), npy("logits.npy"), "logits");
            expectClose(out.get(DdamfnGraph.EMBEDDING), npy("embedding.npy"), "embedding");
            expectClose(out.get(DdamfnGraph.FEATURES), npy("features.npy"), "features");
            Tensor heads = npy("heads.npy");
            for (int h = 0; h < 2; h++) {
                expectClose(out.get(DdamfnGraph.head(h)), heads.slice(h, h + 1), "head " + h);
            }
            for (int s = 0; s <= 8; s++) {
                expectClose(out.get(DdamfnGraph.stage(s)), npy("stages/features." + s + ".npy"), "features." + s);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backendNames")
    void sevenClassFourHeadBareCheckpointMatches(String backendName) throws IOException {
        StateDict sd = CheckpointFiles.read(SharedFixtures.reference("ddamfn_7_class_bare.pth"));
        try (Backend backend = open(backendName); Ddamfn model = Ddamfn.create(sd, backend)) {
            assertEquals(new DdamfnConfig(7, 4), model.config());
            DdamfnOutput out = model.infer(npy("input.npy"));
            expectClose(out.logits(), npy("logits_7.npy"), "logits_7");
            expectClose(out.embedding(), npy("embedding_7.npy"), "embedding_7");
            expectClose(out.features(), npy("features_7.npy"), "features_7");
            Tensor heads = npy("heads_7.npy");
            for (int h = 0; h < 4; h++) {
                expectClose(out.heads().get(h), heads.slice(h, h + 1), "head " + h);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backendNames")
    void bf16WeightsAndBatchIndependence(String backendName) throws IOException {
        StateDict bf16 = CheckpointFiles.read(SharedFixtures.reference("ddamfn_8_class_bf16.safetensors"));
        try (Backend backend = open(backendName); Ddamfn model = Ddamfn.create(bf16, backend)) {
            Map<String, Tensor> out = model.run(npy("input.npy"), List.of(DdamfnGraph.LOGITS, DdamfnGraph.EMBEDDING));
            expectClose(out.get(DdamfnGraph.LOGITS), npy("logits_bf16.npy"), "bf16 logits");
            expectClose(out.get(DdamfnGraph.EMBEDDING), npy("embedding_bf16.npy"), "bf16 embedding");
        }
        StateDict f32 = CheckpointFiles.read(SharedFixtures.reference("ddamfn_8_class.pth"));
        try (Backend backend = open(backendName); Ddamfn model = Ddamfn.create(f32, backend)) {
            Tensor one = npy("input.npy").slice(0, 1);
            expectClose(model.run(one, List.of(DdamfnGraph.LOGITS)).get(DdamfnGraph.LOGITS), npy("logits_b1.npy"), "batch 1");
            Tensor faces = Tensor.zeros(Ddamfn.inputShape(3));
            for (String f : List.of("face_a", "face_b", "face_c")) {
                int i = "abc".indexOf(f.charAt(5));
                faces.slice(i, i + 1).copyFrom(npy(f + ".npy"));
            }
            expectClose(model.run(faces, List.of(DdamfnGraph.LOGITS)).get(DdamfnGraph.LOGITS), npy("faces_logits.npy"), "faces");
            Plan reused = model.plan(1, List.of(DdamfnGraph.LOGITS));
            assertTrue(reused == model.plan(1, List.of(DdamfnGraph.LOGITS)), "plans are cached per batch size");
        }
    }

    static Stream<String> backendNames() {
        return Backends.providers().stream().map(BackendProvider::name);
    }

    static void expectClose(Tensor actual, Tensor expected, String what) {
        assertEquals(expected.numel(), actual.numel(), what + " size");
        double err = Tensors.relativeError(actual, expected);
        assertTrue(err < TOLERANCE, what + ": relative error " + err + " >= " + TOLERANCE);
    }
}
