package dev.affect.engine.model.ddamfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Fixture files, backends and comparisons for the DDAMFN tests. */
final class ModelFixtures {
    /** fixtures/README.md: relative error max|a-b| / max|b| per tensor. */
    static final double TOLERANCE = 1e-4;

    private ModelFixtures() {
    }

    static Tensor npy(String name) throws IOException {
        return NpyReader.read(SharedFixtures.reference(name));
    }

    static Path reference(String name) {
        return SharedFixtures.reference(name);
    }

    static Path training(String name) {
        return SharedFixtures.dir("training/ddamfn_step").resolve(name);
    }

    /** The named backend, or the test is skipped with the reason it is unavailable. */
    static Backend open(String name) {
        return RequiredBackend.require(name).open(BackendOptions.defaults());
    }

    /** Loads on a backend; skipped (not failed) where the backend does not run the graph IR yet. */
    static Ddamfn load(Path checkpoint, Backend backend, Ddamfn.Options options) throws IOException {
        try {
            return Ddamfn.load(checkpoint, backend, options);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort(backend.name() + " backend does not run the graph IR yet: " + e.getMessage());
            throw e;
        }
    }

    /** Asserts the relative error is within {@link #TOLERANCE}, and prints it (the report quotes these). */
    static double expectClose(Tensor actual, Tensor expected, String what) {
        assertEquals(expected.numel(), actual.numel(), what + " size");
        double err = Tensors.relativeError(actual, expected);
        System.out.printf("parity %-40s rel %.3e%n", what, err);
        assertTrue(err <= TOLERANCE, what + ": relative error " + err + " > " + TOLERANCE);
        return err;
    }
}
