package dev.affect.engine.model.heads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Warm heads allocate nothing per call, on the heap or natively (a native buffer would come with a
 * Tensor object): cross-sequence LSTM steps, one-frame sequences and padded FC batches. Runs on cpu,
 * whose executions allocate nothing; the reference backend interprets on fresh Java arrays by design.
 */
class HeadSteadyStateTest {

    @Test
    void thousandWarmCallsAllocateNothing() {
        Random rng = new Random(31);
        try (Backend backend = HeadTesting.open("cpu");
             LstmHead lstm = LstmHead.load(HeadTesting.randomHead(rng, true, "expr", 64, 16, 32, 8), backend);
             FcHead fc = FcHead.load(HeadTesting.randomHead(rng, false, "au", 64, 0, 32, 12), backend);
             TensorScope scope = new TensorScope()) {
            Tensor two = HeadTesting.gaussian(rng, 1f, 2, 64);
            Tensor one = HeadTesting.gaussian(rng, 1f, 1, 64);
            Tensor three = HeadTesting.gaussian(rng, 1f, 3, 64);
            Tensor outTwo = Tensor.zeros(Shape.of(2, 8));
            Tensor outOne = Tensor.zeros(Shape.of(1, 8));
            Tensor outThree = Tensor.zeros(Shape.of(3, 12));
            List<HeadState> states = List.of(lstm.newState(scope), lstm.newState(scope));
            HeadState single = lstm.newState(scope);
            Runnable call = () -> {
                lstm.step(two, states, outTwo);
                lstm.sequence(one, single, outOne);
                fc.forward(three, outThree);
            };
            // warm until the JIT has compiled the call path (its timing depends on the JIT's queue), so
            // measure rounds of 1,000 until one is quiet, at most 20
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().threadId();
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 20 && allocated >= 1000 * 8; round++) {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 1000; i++) {
                    call.run();
                }
                allocated = threads.getThreadAllocatedBytes(id) - before;
            }
            assertTrue(allocated < 1000 * 8, "1,000 warm rounds allocated " + allocated + " bytes on the heap");
            HeadTesting.report("cpu heads: heap bytes for 1,000 warm rounds (step N=2, sequence T=1, fc N=3)", allocated);
        }
    }
}
