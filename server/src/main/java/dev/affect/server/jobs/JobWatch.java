package dev.affect.server.jobs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * One watcher's events of one job, in a bounded buffer: the job thread only appends (never waits),
 * and when the watcher lags the oldest progress events are dropped, never the first (the snapshot)
 * nor the last (the final state). The count dropped rides on the next event delivered.
 */
public final class JobWatch {
    private final Deque<JobEvent> buffer = new ArrayDeque<>();
    private final int capacity;
    private final Runnable onEvent;
    private long dropped;
    private boolean ended;
    private boolean closed;

    /**
     * @param onEvent called (on the publishing thread, outside the watch's lock) after each event is
     *                buffered; it should hand the draining to another thread
     */
    JobWatch(int capacity, Runnable onEvent) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2, got " + capacity);
        }
        this.capacity = capacity;
        this.onEvent = Objects.requireNonNull(onEvent, "onEvent");
    }

    /** Buffers an event; false once the watch has its last event or is closed. */
    boolean offer(JobEvent event) {
        synchronized (this) {
            if (ended || closed) {
                return false;
            }
            if (buffer.size() == capacity) {
                dropOne();
            }
            buffer.addLast(event);
            ended = event.last();
        }
        onEvent.run();
        return true;
    }

    /** Drops the oldest event that is neither the snapshot at the head nor a terminal one. */
    private void dropOne() {
        JobEvent head = buffer.pollFirst();
        if (head.kind() == JobEvent.Kind.SNAPSHOT) {
            buffer.pollFirst();
            buffer.addFirst(head);
        }
        dropped++;
    }

    /** The next event, or null when none is buffered. */
    public synchronized JobEvent poll() {
        JobEvent e = buffer.pollFirst();
        // the snapshot comes before any gap, so the count goes to the first event after it
        if (e != null && dropped > 0 && e.kind() != JobEvent.Kind.SNAPSHOT) {
            e = e.withDropped(dropped);
            dropped = 0;
        }
        return e;
    }

    /** True when the last event is buffered or delivered and nothing more will come. */
    public synchronized boolean ended() {
        return ended;
    }

    /** Stops the watch (the watcher went away); later events are not buffered. */
    public synchronized void close() {
        closed = true;
        buffer.clear();
    }

    synchronized boolean closed() {
        return closed;
    }
}
