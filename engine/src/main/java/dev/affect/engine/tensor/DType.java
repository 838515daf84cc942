package dev.affect.engine.tensor;

/**
 * Element types a tensor can hold. Compute is float32; the floating others exist for checkpoints
 * and reduced-precision kernels, U8 for images, I32/I64 for indices and token ids, BOOL for masks.
 */
public enum DType {
    F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4), U8(1), BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return this == F32 || this == F64 || this == F16 || this == BF16;
    }
}
