package dev.affect.engine.training.data;

import java.util.ArrayList;
import java.util.List;

/** Where windows start in a sequence of {@code n} frames (0-based positions), under a spec and a tail policy. */
final class WindowPlan {
    private WindowPlan() {
    }

    /**
     * Starts 0, stride, 2*stride, ... while the window fits; then the tail: with {@link Tail#ALIGN_END}
     * a window starting at {@code n - length} unless the last one already ends there, with
     * {@link Tail#PAD} a window starting after the last full one's stride if frames remain. A
     * sequence shorter than the window gets one padded window at 0; an empty one gets none.
     */
    static List<Integer> starts(int n, WindowSpec spec, Tail tail) {
        List<Integer> starts = new ArrayList<>();
        if (n == 0) {
            return starts;
        }
        int length = spec.length();
        if (n <= length) {
            starts.add(0);
            return starts;
        }
        int s = 0;
        for (; s + length <= n; s += spec.stride()) {
            starts.add(s);
        }
        int lastEnd = starts.getLast() + length;
        if (lastEnd < n) {
            starts.add(tail == Tail.ALIGN_END ? n - length : s);
        }
        return starts;
    }
}
