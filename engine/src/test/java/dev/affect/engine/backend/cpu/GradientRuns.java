package dev.affect.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.io.NpyReader;
import dev.affect.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** Helpers for the backward-op tests of the cpu backend: fixtures, repeated runs, the fixtures' tolerance. */
final class GradientRuns {
    private GradientRuns() {
    }

    static Tensor npy(Path dir, String name) {
        try {
            return NpyReader.read(dir.resolve(name + ".npy"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Executes one context twice on the cpu backend and returns the second run's outputs, after
     * checking that they repeat the first's bit for bit (buffers are reused, accumulators reset).
     */
    static Map<String, Tensor> runTwice(Graph graph, ParameterStore store, Map<String, Tensor> inputs) {
        try (Backend b = Backends.open("cpu");
             PreparedModel m = b.prepare(graph, store);
             Executable e = m.compile(GraphRuns.shapes(inputs));
             ExecutionContext c = e.newContext()) {
            Map<String, Tensor> first = c.run(inputs);
            Map<String, Tensor> second = c.run(inputs);
            GraphRuns.assertSame(first, second, "second execution");
            return second;
        }
    }

    /** The training fixtures' contract: |a - b| <= atol + rtol * |b| element by element. */
    static void assertWithin(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        assertEquals(expected.numel(), actual.numel(), what + ": element count");
        for (long i = 0; i < expected.numel(); i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                throw new AssertionError(what + "[" + i + "]: " + a + " vs expected " + e + " (|diff| " + Math.abs(a - e)
                        + " > " + (atol + rtol * Math.abs(e)) + ")");
            }
        }
    }

    static void assertFixture(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        assertWithin(expected, actual, 1e-5, 1e-4, what);
    }
}
