package dev.affect.engine.backend.cpu;

import static dev.affect.engine.backend.cpu.GraphRuns.gaussian;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
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
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A warm context executes 1,000 times without allocating on the Java heap (Java kernels included). */
class CpuContextSteadyStateTest {

    @Test
    void thousandWarmExecutionsAllocateNothing() {
        RequiredBackend.require("cpu");
        Random rng = new Random(8);
        try (ParameterStore store = new ParameterStore(); Backend cpu = Backends.open("cpu", new BackendOptions(1));
             PreparedModel m = cpu.prepare(CpuExecutableTest.cnn(store, rng), store);
             Executable e = m.compile(Map.of("x", Shape.of(2, 3, 17, 15)));
             ExecutionContext c = e.newContext()) {
            c.input("x").copyFrom(gaussian(rng, 1f, 2, 3, 17, 15));
            Tensor bound = Tensor.zeros(Shape.of(2, 5));
            c.bind("logits", bound);
            // warm until C2 has compiled the Java kernels (the interpreter and C1 box vectors); when that
            // happens depends on the JIT's queue, so measure rounds of 1,000 until one is quiet, at most 20
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().threadId();
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 20 && allocated >= 1000 * 8; round++) {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 1000; i++) {
                    c.execute();
                }
                allocated = threads.getThreadAllocatedBytes(id) - before;
            }
            assertTrue(allocated < 1000 * 8, "1,000 warm executions allocated " + allocated + " bytes on the heap");
        }
    }
}
