package dev.affect.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.Precision;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.BatchBuckets;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The accuracy cost of --precision bf16, measured against PyTorch's float32 logits, where oneDNN
 * has bf16 kernels; and, everywhere, that the backend says truthfully whether bf16 is used.
 */
class Bf16PrecisionTest {
    /** Logits only, batches of 3 and 4 (the fixtures). */
    private static final Ddamfn.Options SERVING = Ddamfn.Options.serving().withBuckets(BatchBuckets.of(3, 4));


    @Test
    void bf16MathCostsAboutTwoPercentAndKeepsThePredictions() throws IOException {
        RequiredBackend.require("cpu");
        Bf16Support.Verdict bf16 = Bf16Support.probe();
        System.out.println("bf16 probe: " + bf16.reason());
        Assumptions.assumeTrue(bf16.used(), "no bf16 convolution kernel here: " + bf16.reason());
        Tensor input = NpyReader.read(SharedFixtures.reference("input.npy"));
        Tensor expected = NpyReader.read(SharedFixtures.reference("logits.npy"));
        try (Backend backend = Backends.open("cpu", new BackendOptions(0, Precision.BF16));
             Ddamfn model = Ddamfn.create(CheckpointFiles.read(SharedFixtures.reference("ddamfn_8_class.pth")), backend, SERVING)) {
            Tensor logits = model.run(input, List.of(DdamfnNetwork.LOGITS)).get(DdamfnNetwork.LOGITS);
            double err = Tensors.relativeError(logits, expected);
            System.out.printf("bf16 math: logits relative error %.3g vs PyTorch float32%n", err);
            assertTrue(err < 5e-2, "bf16 logits error " + err); // measured 2.2e-2 on this fixture
            assertTrue(err > 1e-5, "bf16 should differ from float32 (got " + err + "): is fpmath mode applied?");
            // the random-noise rows of input.npy have near ties (row 0: 1.008 vs 0.966), so check the
            // predicted class on the three face images, whose margins are wide
            Tensor faces = Tensor.zeros(Ddamfn.inputShape(3));
            String[] names = {"face_a.npy", "face_b.npy", "face_c.npy"};
            for (int i = 0; i < 3; i++) {
                faces.slice(i, i + 1).copyFrom(NpyReader.read(SharedFixtures.reference(names[i])));
            }
            Tensor faceLogits = model.run(faces, List.of(DdamfnNetwork.LOGITS)).get(DdamfnNetwork.LOGITS);
            Tensor faceExpected = NpyReader.read(SharedFixtures.reference("faces_logits.npy"));
            for (int row = 0; row < 3; row++) {
                assertTrue(argmax(faceLogits, row) == argmax(faceExpected, row), "bf16 changes the predicted class of " + names[row]);
            }
        }
    }

    /** With Precision.BF16 the logits are exactly f32's where the probe says f32, and differ where it says bf16. */
    @Test
    void bf16PrecisionDoesWhatTheProbeSays() throws IOException {
        RequiredBackend.require("cpu");
        Bf16Support.Verdict bf16 = Bf16Support.probe();
        System.out.println("bf16 probe: " + bf16.reason());
        Tensor input = NpyReader.read(SharedFixtures.reference("input.npy"));
        StateDict checkpoint = CheckpointFiles.read(SharedFixtures.reference("ddamfn_8_class.pth"));
        float[] f32 = logits(checkpoint, Precision.F32, input, null);
        String[] description = new String[1];
        float[] withBf16 = logits(checkpoint, Precision.BF16, input, description);
        if (bf16.used()) {
            assertFalse(Arrays.equals(f32, withBf16), "the probe says bf16 (" + bf16.reason() + ") but the logits equal f32's");
            assertFalse(description[0].contains(CpuBackend.BF16_NOT_USED), description[0]);
        } else {
            assertArrayEquals(f32, withBf16, "the probe says f32 (" + bf16.reason() + ") but bf16 changed the logits");
            assertTrue(description[0].contains(CpuBackend.BF16_NOT_USED) && description[0].contains(bf16.reason()),
                    description[0]);
        }
    }

    private static float[] logits(StateDict checkpoint, Precision precision, Tensor input,
            String[] description) {
        try (Backend backend = Backends.open("cpu", new BackendOptions(0, precision));
             Ddamfn model = Ddamfn.create(checkpoint, backend, SERVING)) {
            if (description != null) {
                description[0] = backend.description();
            }
            return model.run(input, List.of(DdamfnNetwork.LOGITS)).get(DdamfnNetwork.LOGITS).toFloatArray();
        }
    }

    private static int argmax(Tensor t, int row) {
        int c = t.shape().dim(1);
        int best = 0;
        for (int k = 1; k < c; k++) {
            if (t.getFloat((long) row * c + k) > t.getFloat((long) row * c + best)) {
                best = k;
            }
        }
        return best;
    }
}
