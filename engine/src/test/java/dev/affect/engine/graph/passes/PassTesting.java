package dev.affect.engine.graph.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.Tensors;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random parameters and inputs for hand-built graphs, and the reference backend as the oracle. */
final class PassTesting {
    /** The bound on max |passed - unfused| / max |unfused| over each output. */
    static final double TOLERANCE = 1e-5;

    private PassTesting() {
    }

    static Tensor random(Random rnd, Shape shape, double lo, double hi) {
        float[] v = new float[(int) shape.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return Tensor.of(v, shape.dims());
    }

    /**
     * Random values for every parameter of the graph, scaled like a trained network's so activations
     * stay of order one through many layers: weights of rank 2 and more uniform with variance about
     * 1/fan-in, variances (names saying var) in [0.3, 1.7], everything else in [-1, 1].
     */
    static ParameterStore randomStore(Graph g, long seed) {
        Random rnd = new Random(seed);
        ParameterStore store = new ParameterStore();
        for (Value p : g.parameters()) {
            Shape s = p.type().shape();
            if (p.name().contains("var")) {
                store.put(p.name(), random(rnd, s, 0.3, 1.7));
            } else if (s.rank() >= 2) {
                double bound = Math.sqrt(3.0 * s.dim(0) / s.numel());
                store.put(p.name(), random(rnd, s, -bound, bound));
            } else {
                store.put(p.name(), random(rnd, s, -1, 1));
            }
        }
        return store;
    }

    static Map<String, Tensor> randomInputs(Graph g, int batch, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (Value v : g.inputs()) {
            in.put(v.name(), random(rnd, v.type().resolve(batch), -2, 2));
        }
        return in;
    }

    static Map<String, Tensor> reference(Graph g, ParameterStore store, Map<String, Tensor> inputs) {
        return run("reference", g, store, inputs);
    }

    /** One execution on a named backend. */
    static Map<String, Tensor> run(String backend, Graph g, ParameterStore store, Map<String, Tensor> inputs) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        inputs.forEach((k, t) -> shapes.put(k, t.shape()));
        try (Backend ref = Backends.open(backend);
             PreparedModel m = ref.prepare(g, store);
             Executable exe = m.compile(shapes);
             ExecutionContext ctx = exe.newContext()) {
            return ctx.run(inputs);
        }
    }

    /** Both graphs give the same named outputs on the reference backend, within {@link #TOLERANCE}. */
    static void assertSameOutputs(Graph expectedGraph, Graph actualGraph, ParameterStore store, Map<String, Tensor> in) {
        assertEquals(expectedGraph.outputs().keySet(), actualGraph.outputs().keySet());
        Map<String, Tensor> expected = reference(expectedGraph, store, in);
        Map<String, Tensor> actual = reference(actualGraph, store, in);
        for (String name : expected.keySet()) {
            assertEquals(expected.get(name).shape(), actual.get(name).shape(), name);
            double err = Tensors.relativeError(actual.get(name), expected.get(name));
            assertTrue(err <= TOLERANCE, () -> name + ": relative error " + err + "\nbefore:\n"
                    + expectedGraph.describe() + "after:\n" + actualGraph.describe());
        }
    }

    static long count(Graph g, Class<? extends Op> op) {
        return g.nodes().stream().filter(n -> op.isInstance(n.op())).count();
    }

    static List<Node> nodes(Graph g, Class<? extends Op> op) {
        return g.nodes().stream().filter(n -> op.isInstance(n.op())).toList();
    }
}
