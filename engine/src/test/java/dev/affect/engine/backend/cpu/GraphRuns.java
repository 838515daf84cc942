package dev.affect.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Helpers for the cpu backend's tests: random tensors, reference runs, comparisons. */
final class GraphRuns {
    private GraphRuns() {
    }

    static Tensor gaussian(Random rng, float scale, int... dims) {
        float[] v = new float[(int) Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian() * scale;
        }
        return Tensor.of(v, dims);
    }

    static Tensor uniform(Random rng, float lo, float hi, int... dims) {
        float[] v = new float[(int) Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextFloat();
        }
        return Tensor.of(v, dims);
    }

    static Map<String, Shape> shapes(Map<String, Tensor> inputs) {
        Map<String, Shape> m = new LinkedHashMap<>();
        inputs.forEach((k, v) -> m.put(k, v.shape()));
        return m;
    }

    /** Outputs of one execution on a named backend. */
    static Map<String, Tensor> run(String backend, Graph graph, ParameterStore store, Map<String, Tensor> inputs) {
        try (Backend b = Backends.open(backend);
             PreparedModel m = b.prepare(graph, store);
             Executable e = m.compile(shapes(inputs));
             ExecutionContext c = e.newContext()) {
            return c.run(inputs);
        }
    }

    static void assertClose(Map<String, Tensor> expected, Map<String, Tensor> actual, double tol, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (String name : expected.keySet()) {
            assertEquals(expected.get(name).shape(), actual.get(name).shape(), what + " " + name);
            double err = Tensors.relativeError(actual.get(name), expected.get(name));
            assertTrue(err <= tol, () -> what + " " + name + ": relative error " + err + " > " + tol);
        }
    }

    static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        for (String name : expected.keySet()) {
            float[] e = expected.get(name).toFloatArray();
            float[] a = actual.get(name).toFloatArray();
            for (int i = 0; i < e.length; i++) {
                if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                    throw new AssertionError(what + " " + name + "[" + i + "]: " + a[i] + " != " + e[i]);
                }
            }
        }
    }

    static boolean differ(Map<String, Tensor> a, Map<String, Tensor> b) {
        for (String name : a.keySet()) {
            float[] x = a.get(name).toFloatArray();
            float[] y = b.get(name).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                if (x[i] != y[i]) {
                    return true;
                }
            }
        }
        return false;
    }
}
