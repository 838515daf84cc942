package dev.affect.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The activation layout: values live at one step never share bytes, and the block packs them tightly. */
class ActivationPlannerTest {

    private static CpuValue activation(List<CpuValue> values, int floats, int producedAt, int lastRead) {
        CpuValue v = new CpuValue(values.size(), "v" + values.size(), Shape.of(floats), DType.F32, null,
                CpuValue.Kind.ACTIVATION, null, 0, -1);
        v.producedAt = producedAt;
        v.lastRead = lastRead;
        values.add(v);
        return v;
    }

    @Test
    void randomLifetimesNeverShareBytesWhileBothLive() {
        Random rng = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int steps = 5 + rng.nextInt(40);
            List<CpuValue> values = new ArrayList<>();
            for (int s = 0; s < steps; s++) {
                int n = 1 + rng.nextInt(3);
                for (int k = 0; k < n; k++) {
                    activation(values, 16 * (1 + rng.nextInt(rng.nextBoolean() ? 8 : 200)), s, s + rng.nextInt(Math.max(1, steps - s)));
                }
            }
            long block = ActivationPlanner.assign(values, steps);
            long peak = 0;
            for (int s = 0; s < steps; s++) {
                long live = 0;
                for (CpuValue v : values) {
                    if (v.producedAt <= s && s <= Math.max(v.producedAt, v.lastRead)) {
                        live += ActivationPlanner.align(v.extent());
                    }
                }
                peak = Math.max(peak, live);
            }
            assertTrue(block >= peak, "below the bytes live at one step");
            for (CpuValue a : values) {
                assertTrue(a.offset >= 0 && a.offset + a.extent() <= block, a + " outside the block");
                for (CpuValue b : values) {
                    boolean together = a != b && a.producedAt <= Math.max(b.producedAt, b.lastRead)
                            && b.producedAt <= Math.max(a.producedAt, a.lastRead);
                    boolean shareBytes = a.offset < b.offset + b.extent() && b.offset < a.offset + a.extent();
                    assertTrue(!(together && shareBytes), "trial " + trial + ": " + a + " and " + b + " share bytes while both live");
                }
            }
        }
    }

    /** A big value, then two small ones freeing bytes apart: placing in step order alone leaves a hole. */
    @Test
    void largestFirstPacksWhatStepOrderFragments() {
        List<CpuValue> values = new ArrayList<>();
        activation(values, 16, 0, 1);   // small, early
        activation(values, 160, 0, 2);  // big
        activation(values, 16, 1, 3);   // small
        activation(values, 176, 3, 4);  // as big as everything before, once they are dead
        long block = ActivationPlanner.assign(values, 5);
        // at most 64 + 640 + 64 bytes are live together, and the last value fits where the others were
        assertEquals(768, block);
    }
}
