package dev.affect.engine.backend.cpu;

import static dev.affect.engine.backend.cpu.GraphRuns.assertClose;
import static dev.affect.engine.backend.cpu.GraphRuns.gaussian;
import static dev.affect.engine.backend.cpu.GraphRuns.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.GraphBuilder;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.graph.TensorType;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The prepared model's weight cache: shared between batch sizes, refreshed when the store changes. */
class CpuPreparedModelTest {

    @BeforeEach
    void needsCpu() {
        RequiredBackend.require("cpu");
    }

    @Test
    void executablesForManyBatchSizesShareOneCopyOfTheWeights() {
        Random rng = new Random(2);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu")) {
            Graph graph = CpuExecutableTest.cnn(store, rng);
            try (PreparedModel pm = cpu.prepare(graph, store)) {
                CpuPreparedModel m = (CpuPreparedModel) pm;
                List<Executable> exes = new ArrayList<>();
                long first = -1;
                try {
                    for (int n : new int[] {1, 2, 4, 8, 16, 32}) {
                        exes.add(m.compile(Map.of("x", Shape.of(n, 3, 17, 15))));
                        if (first < 0) {
                            first = m.weightCacheBytes();
                        }
                    }
                    assertTrue(first > 0, "the conv weights are reordered into the cache");
                    assertEquals(first, m.weightCacheBytes(), () -> "the weight cache grew with the number of executables:\n" + m.describeWeightCache() + exes.get(0).describe() + exes.get(5).describe());
                    // and every one of them runs right
                    for (Executable e : exes) {
                        int n = e.signature().input("x").shape().dim(0);
                        Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, n, 3, 17, 15));
                        try (ExecutionContext c = e.newContext()) {
                            assertClose(GraphRuns.run("reference", graph, store, in), c.run(in), 1e-4, "n" + n);
                        }
                    }
                } finally {
                    exes.forEach(Executable::close);
                }
            }
        }
    }

    @Test
    void plainParametersAreReadFromTheStoreWithoutACopy() {
        Random rng = new Random(4);
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 6, 5, 4));
        g.output("y", g.add(new BatchNorm(1e-5f), "bn", x, g.parameter("m", Shape.of(6)), g.parameter("v", Shape.of(6)),
                g.parameter("w", Shape.of(6)), g.parameter("b", Shape.of(6))));
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu")) {
            store.put("m", gaussian(rng, 1f, 6));
            store.put("v", uniform(rng, 0.5f, 1.5f, 6));
            store.put("w", gaussian(rng, 1f, 6));
            store.put("b", gaussian(rng, 1f, 6));
            try (PreparedModel pm = cpu.prepare(g.build(), store);
                 Executable e = pm.compile(Map.of("x", Shape.of(3, 6, 5, 4)));
                 ExecutionContext c = e.newContext()) {
                assertEquals(0, ((CpuPreparedModel) pm).weightCacheBytes());
                Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 3, 6, 5, 4));
                c.run(in);
                store.update("w", gaussian(rng, 1f, 6));
                assertClose(GraphRuns.run("reference", pm.graph(), store, in), c.run(in), 1e-5, "after update");
            }
        }
    }

    /** An optimiser step (update), a replaced tensor (put) and a derived weight (the LSTM's bias sum). */
    @Test
    void parameterUpdatesAreSeenWithoutRecompiling() {
        Random rng = new Random(6);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu")) {
            Graph graph = CpuExecutableTest.cnn(store, rng);
            Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 2, 3, 17, 15));
            try (PreparedModel m = cpu.prepare(graph, store);
                 Executable e2 = m.compile(Map.of("x", Shape.of(2, 3, 17, 15)));
                 Executable e1 = m.compile(Map.of("x", Shape.of(1, 3, 17, 15)));
                 ExecutionContext c = e2.newContext();
                 ExecutionContext other = e1.newContext()) {
                Map<String, Tensor> before = c.run(in);
                other.execute();
                store.update("c1.w", gaussian(rng, 0.3f, 16, 3, 3, 3)); // reordered copy in the cache
                store.update("fc.w", gaussian(rng, 0.3f, 5, 16));
                store.put("bn.weight", gaussian(rng, 0.5f, 16)); // a new tensor, read in place
                Map<String, Tensor> after = c.run(in);
                assertTrue(GraphRuns.differ(before, after), "the update changed nothing");
                assertClose(GraphRuns.run("reference", graph, store, in), after, 1e-4, "after update");
                Map<String, Tensor> one = Map.of("x", Tensor.of(slice(in.get("x").toFloatArray(), 3 * 17 * 15), 1, 3, 17, 15));
                assertClose(GraphRuns.run("reference", graph, store, one), other.run(one), 1e-4, "other executable");
                Tensor fcb = store.get("fc.b");
                store.put("fc.b", Tensor.zeros(Shape.of(6)));
                InvalidInputException wrong = assertThrows(InvalidInputException.class, c::execute);
                assertEquals("fc.b", wrong.field());
                store.put("fc.b", fcb);
                assertClose(GraphRuns.run("reference", graph, store, in), c.run(in), 1e-4, "after a wrong put is undone");
            }
        }
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu")) {
            CpuExecutableTest.lstmWeights(store, rng, 4, 3);
            Graph graph = CpuExecutableTest.lstmGraph(5, 4, 3);
            Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 2, 5, 4), "h0", gaussian(rng, 0.5f, 2, 3),
                    "c0", gaussian(rng, 0.5f, 2, 3));
            try (PreparedModel m = cpu.prepare(graph, store);
                 Executable e = m.compile(GraphRuns.shapes(in));
                 ExecutionContext c = e.newContext()) {
                Map<String, Tensor> before = c.run(in);
                store.update("b_hh", gaussian(rng, 0.3f, 12));
                store.update("w_hh", gaussian(rng, 0.3f, 12, 3));
                Map<String, Tensor> after = c.run(in);
                assertTrue(GraphRuns.differ(before, after), "the update changed nothing");
                assertClose(GraphRuns.run("reference", graph, store, in), after, 1e-4, "lstm after update");
            }
        }
    }

    /** A parameter the store derives (a folded weight) follows its source on the next execute. */
    @Test
    void derivedParametersAreRefreshedOnExecute() {
        Random rng = new Random(10);
        GraphBuilder g = new GraphBuilder();
        Value x = g.input("x", TensorType.batched(DType.F32, 7));
        g.output("y", g.add(new dev.affect.engine.graph.Linear(false), "fc", x, g.parameter("w.scaled", Shape.of(3, 7))));
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu")) {
            store.put("w", gaussian(rng, 1f, 3, 7));
            store.derive("w.scaled", List.of("w"), in -> {
                float[] v = in.get(0).toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] *= 2f;
                }
                return Tensor.of(v, 3, 7);
            });
            Map<String, Tensor> in = Map.of("x", gaussian(rng, 1f, 4, 7));
            try (PreparedModel m = cpu.prepare(g.build(), store);
                 Executable e = m.compile(GraphRuns.shapes(in));
                 ExecutionContext c = e.newContext()) {
                Map<String, Tensor> before = c.run(in);
                store.update("w", gaussian(rng, 1f, 3, 7));
                Map<String, Tensor> after = c.run(in);
                assertTrue(GraphRuns.differ(before, after), "the derived weight did not follow its source");
                assertClose(GraphRuns.run("reference", m.graph(), store, in), after, 1e-5, "derived");
            }
        }
    }

    private static float[] slice(float[] v, int n) {
        float[] s = new float[n];
        System.arraycopy(v, 0, s, 0, n);
        return s;
    }
}
