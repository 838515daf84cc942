package dev.affect.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.backend.Plan;
import dev.affect.engine.io.CheckpointFiles;
import dev.affect.engine.model.Ddamfn;
import dev.affect.engine.model.DdamfnGraph;
import dev.affect.engine.testing.RequiredBackend;
import dev.affect.engine.testing.SharedFixtures;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A warm DDAMFN plan executes 1,000 frames without allocating, on the Java heap or in its arena. */
class SteadyStateTest {

    @Test
    void thousandWarmFramesAllocateNothing() throws IOException {
        RequiredBackend.require("cpu");
        try (Backend backend = Backends.open("cpu");
             Ddamfn model = Ddamfn.create(CheckpointFiles.read(SharedFixtures.reference("ddamfn_8_class.pth")), backend)) {
            CpuPlan plan = (CpuPlan) model.plan(1, List.of(DdamfnGraph.LOGITS, DdamfnGraph.EMBEDDING));
            long arenaBytes = plan.bufferBytes();
            for (int i = 0; i < 300; i++) {
                plan.execute(); // warm-up: lets C2 compile the kernels (the interpreter boxes vectors)
            }
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 1000; i++) {
                plan.execute();
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            // the measurement itself allocates nothing; allow a few bytes for a stray safepoint-related object
            assertTrue(allocated < 1000 * 8, "1,000 warm frames allocated " + allocated + " bytes on the heap");
            assertEquals(arenaBytes, plan.bufferBytes(), "plan buffers are fixed at compile time");
            Plan again = model.plan(1, List.of(DdamfnGraph.LOGITS, DdamfnGraph.EMBEDDING));
            assertTrue(again == plan, "the plan is made once per model and input shape");
        }
    }
}
