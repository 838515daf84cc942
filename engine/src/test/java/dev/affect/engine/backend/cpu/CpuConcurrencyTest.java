package dev.affect.engine.backend.cpu;

import static dev.affect.engine.backend.cpu.GraphRuns.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.testing.RequiredBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One executable run by two threads at once, each through its own context: no lock, no interference.
 * One OpenMP thread per worker (how a server runs several workers), so the two cores are not oversubscribed.
 */
class CpuConcurrencyTest {
    private static final int ITERATIONS = 1_000;

    @Test
    void twoThreadsOnOneExecutableMatchSerialRuns() throws Exception {
        RequiredBackend.require("cpu");
        Random rng = new Random(21);
        Shape shape = Shape.of(2, 3, 17, 15);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu", new BackendOptions(1));
             PreparedModel m = cpu.prepare(CpuExecutableTest.cnn(store, rng), store);
             Executable e = m.compile(Map.of("x", shape))) {
            Tensor[] inputs = {gaussian(rng, 1f, 2, 3, 17, 15), gaussian(rng, 1f, 2, 3, 17, 15)};
            List<Map<String, Tensor>> serial = new ArrayList<>();
            try (ExecutionContext c = e.newContext()) {
                for (Tensor x : inputs) {
                    serial.add(c.run(Map.of("x", x)));
                }
            }
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int which = t;
                    done.add(pool.submit(() -> {
                        try (ExecutionContext c = e.newContext()) {
                            c.input("x").copyFrom(inputs[which]);
                            start.await();
                            for (int i = 0; i < ITERATIONS; i++) {
                                c.execute();
                                if (i % 100 == 99 || i == 0) {
                                    GraphRuns.assertSame(serial.get(which), c.copyOutputs(), "thread " + which + " iteration " + i);
                                }
                            }
                            GraphRuns.assertSame(serial.get(which), c.copyOutputs(), "thread " + which);
                            return ITERATIONS;
                        }
                    }));
                }
                for (Future<Integer> f : done) {
                    assertEquals(ITERATIONS, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
