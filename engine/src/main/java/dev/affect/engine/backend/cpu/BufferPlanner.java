package dev.affect.engine.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every intermediate value a buffer, reusing the buffers of values already dead: a value
 * lives from the step that writes it to the last step that reads it (its aliases included). Best
 * fit from a free list keeps the peak close to the largest set of simultaneously live tensors.
 */
final class BufferPlanner {
    private BufferPlanner() {
    }

    /** Returns the total bytes allocated for intermediates. */
    static long assign(Collection<PlanValue> values, int stepCount, Arena arena) {
        Map<PlanValue, long[]> roots = new HashMap<>(); // root -> {first, last, size}
        for (PlanValue v : values) {
            PlanValue r = v.root();
            long[] span = roots.computeIfAbsent(r, k -> new long[] {Long.MAX_VALUE, -1, 0});
            if (v.producedAt >= 0) {
                span[0] = Math.min(span[0], v.producedAt);
            }
            span[1] = Math.max(span[1], Math.max(v.lastRead, v.producedAt));
            span[2] = Math.max(span[2], v.byteSize());
        }
        long total = 0;
        List<List<PlanValue>> startAt = new ArrayList<>();
        List<List<PlanValue>> endAt = new ArrayList<>();
        for (int i = 0; i < stepCount; i++) {
            startAt.add(new ArrayList<>());
            endAt.add(new ArrayList<>());
        }
        for (Map.Entry<PlanValue, long[]> e : roots.entrySet()) {
            PlanValue r = e.getKey();
            long[] span = e.getValue();
            if (r.data != null) {
                continue; // constants arrive bound
            }
            if (r.pinned || span[0] == Long.MAX_VALUE) {
                r.data = arena.allocate(Math.max(64, span[2]), 64);
                continue;
            }
            startAt.get((int) span[0]).add(r);
            endAt.get((int) Math.max(span[0], span[1])).add(r);
        }
        Set<MemorySegment> free = new LinkedHashSet<>();
        for (int s = 0; s < stepCount; s++) {
            for (PlanValue r : startAt.get(s)) {
                long need = roots.get(r)[2];
                MemorySegment best = null;
                for (MemorySegment f : free) {
                    if (f.byteSize() >= need && (best == null || f.byteSize() < best.byteSize())) {
                        best = f;
                    }
                }
                if (best == null) {
                    best = arena.allocate(Math.max(64, need), 64);
                    total += best.byteSize();
                } else {
                    free.remove(best);
                }
                r.data = best;
            }
            for (PlanValue r : endAt.get(s)) {
                free.add(r.data);
            }
        }
        for (PlanValue v : values) {
            v.data = v.root().data;
        }
        return total;
    }
}
