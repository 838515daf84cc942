package dev.affect.bindings;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs a library load at most once, on first use, and remembers the outcome.
 *
 * <p>A failure is remembered too: retrying would repeat the same I/O and could load a second copy
 * after a partial success. Later callers get a fresh exception (their own stack trace) with the
 * same message, caused by the first one. A lock rather than a class-initialisation holder, so a
 * failure never turns into {@code ExceptionInInitializerError}/{@code NoClassDefFoundError}.
 */
final class LoadOnce {
    private final ReentrantLock lock = new ReentrantLock();
    private final Supplier<LoadedLibrary> load;
    private volatile LoadedLibrary loaded;
    private NativeLibraryUnavailableException failure; // guarded by lock

    LoadOnce(Supplier<LoadedLibrary> load) {
        this.load = load;
    }

    LoadedLibrary get() {
        LoadedLibrary done = loaded;
        if (done != null) {
            return done;
        }
        lock.lock();
        try {
            if (loaded != null) {
                return loaded;
            }
            if (failure != null) {
                throw new NativeLibraryUnavailableException(failure.getMessage(), failure);
            }
            try {
                loaded = load.get();
                return loaded;
            } catch (NativeLibraryUnavailableException e) {
                failure = e;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }
}
