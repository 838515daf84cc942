package dev.affect.engine.model.retinaface;

import static dev.affect.engine.model.retinaface.RetinaFixtures.expectClose;
import static dev.affect.engine.model.retinaface.RetinaFixtures.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.tensor.Shape;
import java.io.IOException;
import java.util.Map;
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
        Graph g = RetinaFaceNetwork.build(240, 320);
        Map<String, Shape> keys = RetinaFaceKeys.expected();
        assertEquals(300, keys.size());
        // every key but the 47 num_batches_tracked counters is read by the graph
        assertEquals(300 - 47, g.parameters().size());
        g.parameters().forEach(p -> assertEquals(keys.get(p.name()), p.type().shape(), p.name()));
        assertEquals(Shape.of(1, 3160, 4), g.outputs().get(RetinaFaceNetwork.LOC).type().resolve(1));
        assertEquals(Shape.of(2, 3160, 2), g.outputs().get(RetinaFaceNetwork.CONF).type().resolve(2));
        assertEquals(Shape.of(1, 3160, 10), g.outputs().get(RetinaFaceNetwork.LANDMS).type().resolve(1));
        assertEquals(3160, Priors.count(240, 320));
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
