package dev.affect.server.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Frames per second over a sliding window of ten one-second buckets; lock-free. */
final class FrameRate {
    private static final int SECONDS = 10;

    private final AtomicLongArray counts = new AtomicLongArray(SECONDS);
    private final AtomicLongArray stamps = new AtomicLongArray(SECONDS);
    private final LongAdder total = new LongAdder();

    void add(long frames) {
        long second = System.nanoTime() / 1_000_000_000L;
        int slot = (int) (second % SECONDS);
        long stamp = stamps.get(slot);
        if (stamp != second && stamps.compareAndSet(slot, stamp, second)) {
            counts.set(slot, 0);
        }
        counts.addAndGet(slot, frames);
        total.add(frames);
    }

    double perSecond() {
        long now = System.nanoTime() / 1_000_000_000L;
        long sum = 0;
        // the current second is still filling: count the ten complete ones before it
        for (int i = 0; i < SECONDS; i++) {
            long stamp = stamps.get(i);
            if (stamp < now && stamp >= now - SECONDS) {
                sum += counts.get(i);
            }
        }
        return sum / (double) SECONDS;
    }

    long total() {
        return total.sum();
    }
}
