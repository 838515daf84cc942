package dev.affect.engine.tensor;

import java.lang.foreign.Arena;

/**
 * Owns the native memory of the tensors allocated in it; closing the scope frees them all.
 * Shared: tensors of a scope may be read from any thread, but closing must happen once, after use.
 */
public final class TensorScope implements AutoCloseable {
    private final Arena arena = Arena.ofShared();

    public Tensor allocate(DType dtype, Shape shape) {
        return HostTensor.allocate(arena, dtype, shape);
    }

    public Tensor copyOf(Tensor source) {
        Tensor t = allocate(source.dtype(), source.shape());
        t.copyFrom(source);
        return t;
    }

    /** The arena itself, for backends that place native buffers next to tensors. */
    public Arena arena() {
        return arena;
    }

    @Override
    public void close() {
        arena.close();
    }
}
