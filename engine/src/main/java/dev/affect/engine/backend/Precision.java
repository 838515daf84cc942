package dev.affect.engine.backend;

/** How convolutions and matrix products compute. Memory stays float32 either way. */
public enum Precision {
    /** IEEE float32 throughout: matches PyTorch to about 1e-6. */
    F32,
    /** Operands rounded to bfloat16, float32 accumulation: faster where the CPU has BF16 dot products, ~1e-2 error. */
    BF16
}
