package dev.affect.server.stream;

/**
 * A release of native memory that frames in flight read (a session's or a face track's LSTM state):
 * it runs once, when freeing has been asked for and no frame holds the memory any more, so it never
 * runs under a running batch. Thread-safe; the release runs on the thread that asked for the free
 * or dropped the last frame, outside the lock.
 */
final class InFlightRelease {
    private final Runnable release;
    private int inFlight;
    private boolean freeRequested;
    private boolean freed;

    InFlightRelease(Runnable release) {
        this.release = release;
    }

    /** A frame now holds the memory; false (and no hold) when it was already released. */
    synchronized boolean started() {
        if (freed) {
            return false;
        }
        inFlight++;
        return true;
    }

    /** A frame that held the memory was answered (or dropped). */
    void done() {
        boolean now;
        synchronized (this) {
            inFlight--;
            now = freeRequested && inFlight == 0 && !freed;
            freed |= now;
        }
        if (now) {
            release.run();
        }
    }

    /** Releases once no frame holds the memory (at once when none does). Idempotent. */
    void free() {
        boolean now;
        synchronized (this) {
            freeRequested = true;
            now = inFlight == 0 && !freed;
            freed |= now;
        }
        if (now) {
            release.run();
        }
    }

    synchronized boolean isFreeRequested() {
        return freeRequested;
    }

    synchronized boolean isFreed() {
        return freed;
    }
}
