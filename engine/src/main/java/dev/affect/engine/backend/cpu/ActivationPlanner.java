package dev.affect.engine.backend.cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out every activation of an executable in one block, reusing the bytes of values already
 * dead (as {@link BufferPlanner} does for the old plans, but as offsets, so that each context
 * allocates one block of the planned size). A value lives from the step that writes it to the last
 * step that reads it, its views included; pinned values and zeros get bytes of their own.
 */
final class ActivationPlanner {
    private static final long ALIGN = 64;

    private ActivationPlanner() {
    }

    private record Block(long offset, long size) {
    }

    /** Sets {@link CpuValue#offset} of every root that needs context memory; returns the block's size. */
    static long assign(List<CpuValue> values, int stepCount) {
        Map<CpuValue, long[]> roots = new HashMap<>(); // root -> {first, last, size}
        List<CpuValue> order = new ArrayList<>();
        for (CpuValue v : values) {
            CpuValue r = v.root();
            if (r.kind == CpuValue.Kind.PARAMETER) {
                continue;
            }
            long[] span = roots.get(r);
            if (span == null) {
                span = new long[] {Long.MAX_VALUE, -1, 0};
                roots.put(r, span);
                order.add(r);
            }
            if (v.producedAt >= 0) {
                span[0] = Math.min(span[0], v.producedAt);
            }
            span[1] = Math.max(span[1], Math.max(v.lastRead, v.producedAt));
            span[2] = Math.max(span[2], v.extent());
        }
        long top = 0;
        List<List<CpuValue>> startAt = new ArrayList<>();
        List<List<CpuValue>> endAt = new ArrayList<>();
        for (int i = 0; i < stepCount; i++) {
            startAt.add(new ArrayList<>());
            endAt.add(new ArrayList<>());
        }
        for (CpuValue r : order) {
            long[] span = roots.get(r);
            if (r.kind != CpuValue.Kind.ACTIVATION || r.pinned || span[0] == Long.MAX_VALUE) {
                r.offset = top;
                top += align(span[2]);
                continue;
            }
            startAt.get((int) span[0]).add(r);
            endAt.get((int) Math.max(span[0], span[1])).add(r);
        }
        List<Block> free = new ArrayList<>();
        Map<CpuValue, Block> held = new HashMap<>();
        for (int s = 0; s < stepCount; s++) {
            for (CpuValue r : startAt.get(s)) {
                long need = align(roots.get(r)[2]);
                Block best = null;
                for (Block f : free) {
                    if (f.size >= need && (best == null || f.size < best.size)) {
                        best = f;
                    }
                }
                if (best == null) {
                    best = new Block(top, need);
                    top += need;
                } else {
                    free.remove(best);
                }
                r.offset = best.offset;
                held.put(r, best);
            }
            for (CpuValue r : endAt.get(s)) {
                free.add(held.get(r));
            }
        }
        return Math.max(ALIGN, top);
    }

    static long align(long bytes) {
        return Math.max(ALIGN, (bytes + ALIGN - 1) / ALIGN * ALIGN);
    }
}
