package dev.affect.engine.model.retinaface;

import static dev.affect.engine.model.retinaface.RetinaFixtures.expectClose;
import static dev.affect.engine.model.retinaface.RetinaFixtures.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seeded RetinaFace against the authors' PyTorch forward on scene_input.npy (240 x 320, where the
 * FPN upsamples 8 -> 15 rows): loc, conf and landms within atol = rtol = 1e-4, on every backend.
 */
class RetinaFaceNetworkParityTest {

    @Test
    void graphHasTheAuthorsShapesAndEveryWeight() {
        Map<String, Shape> keys = RetinaFaceKeys.expected();
        assertEquals(300, keys.size());
        try (ParameterStore store = new ParameterStore()) {
            keys.forEach((k, shape) -> store.put(k, Tensor.zeros(shape)));
            Graph g = RetinaFaceNetwork.build(240, 320, store);
            // every key but the 47 num_batches_tracked counters is read: the 18 head weights and biases
            // through the 6 merged ones (one box + class + landmark conv per level) derived from them
            assertEquals(300 - 47 - 18 + 6, g.parameters().size());
            Set<String> read = new HashSet<>();
            for (Value p : g.parameters()) {
                if (p.name().endsWith("#merged")) {
                    assertTrue(store.isDerived(p.name()), p.name());
                    assertEquals(32, p.type().shape().dim(0), p.name());
                } else {
                    assertEquals(keys.get(p.name()), p.type().shape(), p.name());
                    read.add(p.name());
                }
            }
            assertEquals(300 - 47 - 18, read.size());
            int[] rows = {2400, 600, 160}; // 30 x 40, 15 x 20, 8 x 10 locations, 2 anchors each
            for (int l = 0; l < 3; l++) {
                assertEquals(Shape.of(2, rows[l], 16), g.outputs().get(RetinaFaceNetwork.levelOutput(l)).type().resolve(2));
            }
            assertEquals(Shape.of(1, 240, 320, 3), g.inputs().get(0).type().resolve(1));
            assertEquals(3160, Priors.count(240, 320));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void seededModelMatchesPyTorch(String backendName) throws IOException {
        try (Backend backend = RetinaFixtures.open(backendName);
             RetinaFace model = RetinaFace.load(RetinaFixtures.file("retinaface_mnet025.pth"), backend)) {
            RetinaFaceOutput out = model.run(RetinaFixtures.npy("scene_input.npy"));
            assertEquals(Shape.of(1, 3160, 4), out.loc().shape());
            String on = backendName + " scene ";
            expectClose(out.loc().toFloatArray(), floats("loc.npy"), 1e-4, 1e-4, on + "loc");
            expectClose(out.conf().toFloatArray(), floats("conf.npy"), 1e-4, 1e-4, on + "conf");
            expectClose(out.landms().toFloatArray(), floats("landms.npy"), 1e-4, 1e-4, on + "landms");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void releasedWeightsMatchPyTorchOnTheAstronaut(String backendName) throws IOException {
        try (Backend backend = RetinaFixtures.open(backendName);
             RetinaFace model = RetinaFace.load(RetinaFixtures.file("real/mobilenet0.25_Final.pth"), backend)) {
            RetinaFaceOutput out = model.run(RetinaFixtures.npy("real/astronaut_input.npy"));
            String on = backendName + " astronaut ";
            expectClose(out.loc().toFloatArray(), floats("real/astronaut_loc.npy"), 1e-4, 1e-4, on + "loc");
            expectClose(out.conf().toFloatArray(), floats("real/astronaut_conf.npy"), 1e-4, 1e-4, on + "conf");
            expectClose(out.landms().toFloatArray(), floats("real/astronaut_landms.npy"), 1e-4, 1e-4, on + "landms");
        }
    }
}
