package dev.affect.engine.backend.cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out every activation of an executable in one block, reusing the bytes of values already
 * dead (as {@link BufferPlanner} does for the old plans, but as offsets, so that each context
 * allocates one block of the planned size). A value lives from the step that writes it to the last
 * step that reads it, its views included; pinned values and zeros get bytes of their own. Two
 * placements are tried, step order and largest first, and the smaller block is kept.
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
        List<CpuValue> planned = new ArrayList<>();
        for (CpuValue r : order) {
            long[] span = roots.get(r);
            if (r.kind != CpuValue.Kind.ACTIVATION || r.pinned || span[0] == Long.MAX_VALUE) {
                r.offset = top;
                top += align(span[2]);
                continue;
            }
            span[1] = Math.max(span[0], span[1]);
            span[2] = align(span[2]);
            planned.add(r);
        }
        long[] inOrder = byStep(planned, roots, stepCount);
        long[] bySize = bySize(planned, roots);
        long[] best = inOrder[planned.size()] <= bySize[planned.size()] ? inOrder : bySize;
        for (int i = 0; i < planned.size(); i++) {
            planned.get(i).offset = top + best[i];
        }
        verify(planned, roots);
        return Math.max(ALIGN, top + best[planned.size()]);
    }

    /**
     * Step by step: each value starting at a step takes the smallest freed block that holds it (no
     * splitting, no merging), else new bytes on top. Offsets of the roots in order, then the size.
     */
    private static long[] byStep(List<CpuValue> planned, Map<CpuValue, long[]> roots, int stepCount) {
        long[] offsets = new long[planned.size() + 1];
        long top = 0;
        List<List<Integer>> startAt = new ArrayList<>();
        List<List<Integer>> endAt = new ArrayList<>();
        for (int i = 0; i < stepCount; i++) {
            startAt.add(new ArrayList<>());
            endAt.add(new ArrayList<>());
        }
        for (int i = 0; i < planned.size(); i++) {
            long[] span = roots.get(planned.get(i));
            startAt.get((int) span[0]).add(i);
            endAt.get((int) span[1]).add(i);
        }
        List<Block> free = new ArrayList<>();
        Map<Integer, Block> held = new HashMap<>();
        for (int s = 0; s < stepCount; s++) {
            for (int i : startAt.get(s)) {
                long need = roots.get(planned.get(i))[2];
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
                offsets[i] = best.offset;
                held.put(i, best);
            }
            for (int i : endAt.get(s)) {
                free.add(held.get(i));
            }
        }
        offsets[planned.size()] = top;
        return offsets;
    }

    /**
     * Largest first: each value takes the lowest offset of the tightest gap left between the values
     * already placed whose lifetimes overlap its own (the greedy-by-size heuristic of TFLite's
     * arena planner), which packs a network's few large activations much closer to the most bytes
     * live at any one step. Offsets of the roots in order, then the size.
     */
    private static long[] bySize(List<CpuValue> planned, Map<CpuValue, long[]> roots) {
        int n = planned.size();
        long[] offsets = new long[n + 1];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Long.compare(roots.get(planned.get(b))[2], roots.get(planned.get(a))[2]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        List<Integer> placed = new ArrayList<>();
        long top = 0;
        for (int i : order) {
            long[] span = roots.get(planned.get(i));
            List<long[]> busy = new ArrayList<>(); // {offset, end} of overlapping placed values
            for (int j : placed) {
                long[] other = roots.get(planned.get(j));
                if (overlap(span, other)) {
                    busy.add(new long[] {offsets[j], offsets[j] + other[2]});
                }
            }
            busy.sort((a, b) -> Long.compare(a[0], b[0]));
            long bestOffset = -1;
            long bestGap = Long.MAX_VALUE;
            long cursor = 0;
            for (long[] b : busy) {
                long gap = b[0] - cursor;
                if (gap >= span[2] && gap < bestGap) {
                    bestGap = gap;
                    bestOffset = cursor;
                }
                cursor = Math.max(cursor, b[1]);
            }
            offsets[i] = bestOffset >= 0 ? bestOffset : cursor;
            top = Math.max(top, offsets[i] + span[2]);
            placed.add(i);
        }
        offsets[n] = top;
        return offsets;
    }

    private static boolean overlap(long[] a, long[] b) {
        return a[0] <= b[1] && b[0] <= a[1];
    }

    /** Two values live at one step never share bytes (a planner bug otherwise, caught at compile). */
    private static void verify(List<CpuValue> planned, Map<CpuValue, long[]> roots) {
        for (int i = 0; i < planned.size(); i++) {
            CpuValue a = planned.get(i);
            long[] sa = roots.get(a);
            for (int j = i + 1; j < planned.size(); j++) {
                CpuValue b = planned.get(j);
                long[] sb = roots.get(b);
                if (overlap(sa, sb) && a.offset < b.offset + sb[2] && b.offset < a.offset + sa[2]) {
                    throw new IllegalStateException("activation planner: " + a + " and " + b + " are live together but share bytes");
                }
            }
        }
    }

    static long align(long bytes) {
        return Math.max(ALIGN, (bytes + ALIGN - 1) / ALIGN * ALIGN);
    }
}
