package dev.affect.engine.model.retinaface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.CheckpointFormatException;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Weight loading: the .pth (zip), the .safetensors and the released legacy-format .pth; the
 * {@code module.} prefix; every missing, unexpected or mis-shaped key reported at once.
 */
class RetinaFaceCheckpointTest {

    @Test
    void pthAndSafetensorsLoadIdenticalTensors() throws IOException {
        try (Backend backend = RetinaFixtures.open("reference");
             RetinaFace pth = RetinaFace.load(RetinaFixtures.file("retinaface_mnet025.pth"), backend);
             RetinaFace st = RetinaFace.load(RetinaFixtures.file("retinaface_mnet025.safetensors"), backend)) {
            assertEquals(300 - 47, pth.parameters().names().size());
            assertEquals(pth.parameters().names(), st.parameters().names());
            for (String name : pth.parameters().names()) {
                assertArrayEquals(pth.parameters().get(name).toFloatArray(), st.parameters().get(name).toFloatArray(), name);
            }
        }
    }

    @Test
    void releasedLegacyPthHasTheSameKeysAndShapes() throws IOException {
        StateDict released = CheckpointFiles.read(RetinaFixtures.file("real/mobilenet0.25_Final.pth"));
        StateDict seeded = CheckpointFiles.read(RetinaFixtures.file("retinaface_mnet025.pth"));
        assertEquals(seeded.names(), released.names());
        for (String name : seeded.names()) {
            assertEquals(seeded.get(name).shape(), released.get(name).shape(), name);
            assertEquals(seeded.get(name).dtype(), released.get(name).dtype(), name);
        }
        // trained weights, not the seeded ones
        assertTrue(!java.util.Arrays.equals(seeded.get("ClassHead.0.conv1x1.bias").toFloatArray(),
                released.get("ClassHead.0.conv1x1.bias").toFloatArray()));
    }

    @Test
    void aTruncatedLegacyFileIsAClearError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws IOException {
        byte[] full = Files.readAllBytes(RetinaFixtures.file("real/mobilenet0.25_Final.pth"));
        java.nio.file.Path cut = tmp.resolve("cut.pth");
        // cuts in the header pickles, the object pickle, the key list and the storages
        for (int at : new int[] {1, 10, 20, 100, 200, 5000, 47000, 47400, 53000, 53780, 60000, full.length / 2, full.length - 1}) {
            Files.write(cut, java.util.Arrays.copyOf(full, at));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> CheckpointFiles.read(cut), "cut at " + at);
            assertTrue(e.getMessage().contains("legacy (non-zip) torch.save file: "), e.getMessage());
        }
    }

    @Test
    void modulePrefixIsStripped() throws IOException {
        StateDict sd = CheckpointFiles.read(RetinaFixtures.file("retinaface_mnet025.safetensors"));
        Map<String, Tensor> prefixed = new LinkedHashMap<>();
        sd.asMap().forEach((k, v) -> prefixed.put("module." + k, v));
        try (Backend backend = RetinaFixtures.open("reference");
             RetinaFace model = RetinaFace.create(new StateDict(prefixed), backend)) {
            assertArrayEquals(sd.get("fpn.merge1.0.weight").toFloatArray(),
                    model.parameters().get("fpn.merge1.0.weight").toFloatArray());
        }
    }

    @Test
    void mismatchedCheckpointsAreReportedWhole() throws IOException {
        StateDict sd = CheckpointFiles.read(RetinaFixtures.file("retinaface_mnet025.safetensors"));
        Map<String, Tensor> broken = new LinkedHashMap<>(sd.asMap());
        broken.remove("BboxHead.2.conv1x1.bias");
        broken.remove("ssh1.conv3X3.1.running_var");
        broken.put("extra.weight", Tensor.of(new float[] {1f}, 1));
        broken.put("fpn.output1.0.weight", Tensor.zeros(dev.affect.engine.tensor.Shape.of(64, 32, 1, 1)));
        try (Backend backend = RetinaFixtures.open("reference")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> RetinaFace.create(new StateDict(broken), backend));
            assertEquals("checkpoint", e.field());
            String m = e.getMessage();
            assertTrue(m.contains("2 missing [ssh1.conv3X3.1.running_var, BboxHead.2.conv1x1.bias]"), m);
            assertTrue(m.contains("1 unexpected [extra.weight]"), m);
            assertTrue(m.contains("fpn.output1.0.weight: checkpoint [64,32,1,1] vs model [64,64,1,1]"), m);
        }
    }

    @Test
    void aDdamfnCheckpointIsNotARetinaFace() throws IOException {
        java.nio.file.Path ddamfn = dev.affect.engine.testing.SharedFixtures.reference("ddamfn_8_class.pth");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(ddamfn), "no DDAMFN fixture");
        try (Backend backend = RetinaFixtures.open("reference")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> RetinaFace.load(ddamfn, backend));
            assertEquals(ddamfn.toString(), e.field());
            assertTrue(e.getMessage().contains("does not match RetinaFace(mobilenet0.25)"), e.getMessage());
        }
    }
}
