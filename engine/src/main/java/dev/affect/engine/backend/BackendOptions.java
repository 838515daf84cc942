package dev.affect.engine.backend;

/** Settings shared by all backends. threads <= 0 means "the backend's default" (all cores). */
public record BackendOptions(int threads) {
    public static BackendOptions defaults() {
        return new BackendOptions(0);
    }
}
