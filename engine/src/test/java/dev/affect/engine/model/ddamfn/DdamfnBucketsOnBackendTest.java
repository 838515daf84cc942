package dev.affect.engine.model.ddamfn;

import static dev.affect.engine.model.ddamfn.ModelFixtures.expectClose;
import static dev.affect.engine.model.ddamfn.ModelFixtures.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Buckets and threads on real backends: a batch of 3 padded onto bucket 4 equals three batch-1
 * runs and the authors' logits; two threads on one model give what serial runs give. The
 * reference backend gets a handful of frames; cpu gets 200 iterations per thread.
 */
class DdamfnBucketsOnBackendTest {
    static final List<String> LOGITS = List.of(DdamfnNetwork.LOGITS);

    static Tensor faces() throws IOException {
        Tensor faces = Tensor.zeros(Ddamfn.inputShape(3));
        int i = 0;
        for (String f : List.of("face_a", "face_b", "face_c")) {
            faces.slice(i, i + 1).copyFrom(npy(f + ".npy"));
            i++;
        }
        return faces;
    }

    static Ddamfn.Options logitsOn(int... buckets) {
        return Ddamfn.Options.serving().withOutputs(LOGITS).withBuckets(BatchBuckets.of(buckets)).withWorkers(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void batchOfThreeOnBucketFourEqualsThreeSingleFrames(String backendName) throws IOException {
        try (Backend backend = ModelFixtures.open(backendName);
             Ddamfn model = ModelFixtures.load(ModelFixtures.reference("ddamfn_8_class.pth"), backend, logitsOn(1, 4))) {
            assertEquals(2, model.executableCount());
            Tensor faces = faces();
            Tensor batch = model.run(faces, LOGITS).get(DdamfnNetwork.LOGITS);
            expectClose(batch, npy("faces_logits.npy"), backendName + " faces (3 on bucket 4)");
            for (int i = 0; i < 3; i++) {
                Tensor one = model.run(faces.slice(i, i + 1), LOGITS).get(DdamfnNetwork.LOGITS);
                double err = Tensors.relativeError(one, batch.slice(i, i + 1));
                System.out.printf("parity %s face %d alone vs in a padded batch: rel %.3e%n", backendName, i, err);
                assertTrue(err <= 1e-6, "frame " + i + " alone differs from the padded batch by " + err);
            }
            expectClose(model.run(npy("input.npy").slice(0, 1), LOGITS).get(DdamfnNetwork.LOGITS), npy("logits_b1.npy"),
                    backendName + " logits_b1");
            // bucket 1's runs used the worker's workspace since: bucket 4's context must not notice
            double again = Tensors.relativeError(model.run(faces, LOGITS).get(DdamfnNetwork.LOGITS), batch);
            assertTrue(again <= 1e-7, "bucket 4 after bucket 1 on the same workspace differs by " + again);
            assertEquals(1, model.workerCount(), "one caller, one worker");
            assertEquals(2, model.executableCount(), "nothing compiled after load");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void twoThreadsGiveTheSerialResults(String backendName) throws Exception {
        int iterations = backendName.equals("reference") ? 2 : 200;
        try (Backend backend = ModelFixtures.open(backendName);
             Ddamfn model = ModelFixtures.load(ModelFixtures.reference("ddamfn_8_class.pth"), backend, logitsOn(1));
             ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Tensor> inputs = List.of(npy("face_a.npy").reshape(Ddamfn.inputShape(1)), npy("face_b.npy").reshape(Ddamfn.inputShape(1)));
            List<float[]> serial = new ArrayList<>();
            for (Tensor in : inputs) {
                serial.add(model.run(in, LOGITS).get(DdamfnNetwork.LOGITS).toFloatArray());
            }
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Tensor in = inputs.get(t);
                float[] want = serial.get(t);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < iterations; i++) {
                        assertArrayEquals(want, model.run(in, LOGITS).get(DdamfnNetwork.LOGITS).toFloatArray(), "iteration " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertTrue(model.contextCount() <= 2, "at most 2 contexts: " + model.contextCount());
        }
    }
}
