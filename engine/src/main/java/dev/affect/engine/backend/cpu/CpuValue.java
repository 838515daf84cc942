package dev.affect.engine.backend.cpu;

import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;

/**
 * A tensor of a {@link CpuExecutable}: its oneDNN layout and where its bytes live in each context.
 * An activation gets an offset in the context's activation block ({@link ActivationPlanner}); a
 * view ({@code aliasOf}) reads its root's bytes from {@code byteOffset} on with its own descriptor
 * (a reshape, a strided slice, an LSTM's ntc view); a parameter reads a weight slot of the
 * prepared model. Fixed once the executable is built; the build sets the planning fields.
 */
final class CpuValue {
    enum Kind {
        /** Written by a step; its buffer may be shared with values dead by then. */
        ACTIVATION,
        /** A graph input, state or output: a buffer of its own, bindable to a caller's tensor. */
        PINNED,
        /** Zeros that stay zero (the base of a both-sides broadcast): a buffer of its own. */
        ZEROS,
        /** A weight: {@link #slot} of the prepared model. */
        PARAMETER
    }

    final int index;
    final String name;
    final Shape shape;
    final DType dtype;
    /** Null for values only Java kernels touch (integer indices). */
    final MemorySegment md;
    final Kind kind;
    final CpuValue aliasOf;
    final long byteOffset;
    final int slot;
    /** An output or other buffer that must keep its bytes for the context's life. */
    boolean pinned;
    int producedAt = -1;
    int lastRead = -1;
    /** Of a root: where its bytes start in the context's activation block. */
    long offset = -1;

    CpuValue(int index, String name, Shape shape, DType dtype, MemorySegment md, Kind kind, CpuValue aliasOf,
             long byteOffset, int slot) {
        this.index = index;
        this.name = name;
        this.shape = shape;
        this.dtype = dtype;
        this.md = md;
        this.kind = kind;
        this.aliasOf = aliasOf;
        this.byteOffset = byteOffset;
        this.slot = slot;
    }

    CpuValue root() {
        return aliasOf == null ? this : aliasOf.root();
    }

    /** Bytes from the root's start to this view's end. */
    long extent() {
        long own = md != null ? DnnlHandles.size(md) : shape.numel() * dtype.byteSize();
        return totalOffset() + own;
    }

    long totalOffset() {
        return aliasOf == null ? 0 : byteOffset + aliasOf.totalOffset();
    }

    boolean isParameter() {
        return root().kind == Kind.PARAMETER;
    }

    @Override
    public String toString() {
        return name + shape;
    }
}
