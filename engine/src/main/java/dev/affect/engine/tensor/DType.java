package dev.affect.engine.tensor;

/** Element types a tensor can hold. Compute is float32; the others exist for checkpoints. */
public enum DType {
    F32(4), F64(8), F16(2), BF16(2), I64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return this != I64;
    }
}
