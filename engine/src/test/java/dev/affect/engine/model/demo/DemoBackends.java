package dev.affect.engine.model.demo;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.io.StateDict;
import dev.affect.engine.model.ddamfn.BatchBuckets;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Backends, frames and the demo backbone for the demo-weight tests. */
final class DemoBackends {
    static final List<String> NAMES = List.of("reference", "cpu");

    private DemoBackends() {
    }

    static Stream<String> names() {
        return NAMES.stream();
    }

    static Backend open(String name) {
        return RequiredBackend.require(name).open(BackendOptions.defaults());
    }

    /** The demo backbone with one bucket of {@code batch} and every stage as an output; skipped where the backend lacks the IR. */
    static Ddamfn backbone(StateDict weights, Backend backend, int batch) {
        Ddamfn.Options options = Ddamfn.Options.allOutputs().withBuckets(BatchBuckets.of(batch)).withWorkers(1);
        try {
            return Ddamfn.create(weights, backend, options);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort(backend.name() + " backend does not run the graph IR yet: " + e.getMessage());
            throw e;
        }
    }

    /** n frames of N(0, 1) pixels, the scale of ImageNet-normalised input; each frame its own. */
    static Tensor frames(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * 3 * 112 * 112];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, n, 3, 112, 112);
    }

    static List<String> stageOutputs() {
        return java.util.stream.IntStream.range(0, DdamfnNetwork.STAGES).mapToObj(DdamfnNetwork::stage).toList();
    }
}
