package dev.affect.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The torch reader against the shared reference checkpoints. */
class TorchCheckpointReaderTest {

    @Test
    void authorsCheckpointMatchesKeyListingInOrder() throws IOException {
        StateDict sd = TorchCheckpointReader.readStateDict(Fixtures.file("ddamfn_8_class.pth"));
        assertMatchesListing(Fixtures.keys("keys_8_class.txt"), sd);
        assertEquals(1190, sd.size());
    }

    @Test
    void bareStateDictLosesModulePrefix() throws IOException {
        StateDict sd = TorchCheckpointReader.readStateDict(Fixtures.file("ddamfn_7_class_bare.pth"));
        Map<String, Fixtures.KeyLine> listing = Fixtures.keys("keys_7_class_bare.txt");
        assertTrue(listing.keySet().stream().allMatch(k -> k.startsWith("module.")), "fixture keys carry module.");
        assertEquals(1248, sd.size());
        assertEquals(listing.keySet().stream().map(k -> k.substring("module.".length())).toList(), sd.names());
        for (Fixtures.KeyLine line : listing.values()) {
            Tensor t = sd.get(line.name().substring("module.".length()));
            assertEquals(line.dtype(), t.dtype(), line.name());
            assertEquals(line.shape(), t.shape(), line.name());
        }
        assertEquals(Shape.of(7, 512), sd.get("fc.weight").shape());
    }

    @Test
    void everyTensorEqualsTheSafetensorsCopyBitForBit() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            StateDict pth = TorchCheckpointReader.readStateDict(Fixtures.file("ddamfn_8_class.pth"), arena);
            StateDict st = SafetensorsReader.read(Fixtures.file("ddamfn_8_class.safetensors"), arena).tensors();
            assertEquals(st.names(), pth.names());
            for (String name : pth.names()) {
                Tensor a = pth.get(name);
                Tensor b = st.get(name);
                assertEquals(b.dtype(), a.dtype(), name);
                assertEquals(b.shape(), a.shape(), name);
                assertEquals(-1, a.host().segment().mismatch(b.host().segment()), name + " differs");
            }
            assertEquals(1L, pth.get("features.0.bn.num_batches_tracked").getLong(0));
        }
    }

    @Test
    void optimizerStateAndEpochParseAsPlainContainers() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Map<?, ?> root = (Map<?, ?>) TorchCheckpointReader.readObject(Fixtures.file("ddamfn_8_class.pth"), arena);
            assertEquals(List.of("iter", "model_state_dict", "optimizer_state_dict"), List.copyOf(root.keySet()));
            assertEquals(1L, root.get("iter"));
            Map<?, ?> optimizer = (Map<?, ?>) root.get("optimizer_state_dict");
            Map<?, ?> state = (Map<?, ?>) optimizer.get("state");
            assertEquals(633, state.size());
            assertInstanceOf(TorchTensorRef.class, ((Map<?, ?>) state.get(0L)).get("old_p"));
            Map<?, ?> group = (Map<?, ?>) ((List<?>) optimizer.get("param_groups")).getFirst();
            assertEquals(1e-5, group.get("lr"));
            assertEquals(0.05, group.get("rho"));
            assertEquals(Boolean.FALSE, group.get("adaptive"));
            assertEquals(PyTuple.of(0.9, 0.999), group.get("betas"));
        }
    }

    @Test
    void lstmHeadHasEightFloatTensors() throws IOException {
        StateDict sd = TorchCheckpointReader.readStateDict(Fixtures.file("lstm_head.pth"));
        assertEquals(8, sd.size());
        assertTrue(sd.asMap().values().stream().allMatch(t -> t.dtype() == DType.F32));
        assertEquals(Shape.of(512, 512), sd.get("lstm.weight_ih_l0").shape());
        assertEquals(Shape.of(512, 128), sd.get("lstm.weight_hh_l0").shape());
        assertEquals(Shape.of(512), sd.get("lstm.bias_ih_l0").shape());
        assertEquals(Shape.of(512, 128), sd.get("fc.weight").shape());
    }

    @Test
    void checkpointFilesPicksTheTorchReader() throws IOException {
        assertEquals(1190, CheckpointFiles.read(Fixtures.file("ddamfn_8_class.pth")).size());
    }

    static void assertMatchesListing(Map<String, Fixtures.KeyLine> listing, StateDict sd) {
        assertEquals(List.copyOf(listing.keySet()), sd.names());
        for (Fixtures.KeyLine line : listing.values()) {
            Tensor t = sd.get(line.name());
            assertEquals(line.dtype(), t.dtype(), line.name());
            assertEquals(line.shape(), t.shape(), line.name());
        }
    }
}
