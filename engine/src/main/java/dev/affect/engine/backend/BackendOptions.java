package dev.affect.engine.backend;

/**
 * Settings shared by all backends.
 *
 * @param threads   compute threads; 0 or less means the backend's default (all cores)
 * @param precision arithmetic of convolutions and matrix products; backends that cannot lower it
 *                  (the reference) compute in float32
 */
public record BackendOptions(int threads, Precision precision) {

    public BackendOptions {
        if (precision == null) {
            throw new IllegalArgumentException("precision must be given");
        }
    }

    public BackendOptions(int threads) {
        this(threads, Precision.F32);
    }

    public static BackendOptions defaults() {
        return new BackendOptions(0, Precision.F32);
    }
}
