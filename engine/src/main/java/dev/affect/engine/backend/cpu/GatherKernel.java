package dev.affect.engine.backend.cpu;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * out[n] = data[n, indices[n]] for data [N, T, ...] (plain float32) and indices [N] (I32 or I64):
 * one row copy per batch element. An index outside [0, T) is the caller's error, named by input.
 */
final class GatherKernel implements JavaKernel {
    private final int data;
    private final int indices;
    private final int out;
    private final boolean wide;
    private final int batch;
    private final int steps;
    private final long rowBytes;
    private final String indicesName;

    GatherKernel(CpuValue data, CpuValue indices, CpuValue out, String indicesName) {
        if (indices.dtype != DType.I32 && indices.dtype != DType.I64) {
            throw new IllegalArgumentException("gather indices must be I32 or I64, got " + indices.dtype);
        }
        this.data = data.index;
        this.indices = indices.index;
        this.out = out.index;
        this.wide = indices.dtype == DType.I64;
        this.batch = data.shape.dim(0);
        this.steps = data.shape.dim(1);
        this.rowBytes = data.shape.numel() / ((long) batch * steps) * 4;
        this.indicesName = indicesName;
    }

    @Override
    public void run(MemorySegment[] buffers) {
        MemorySegment src = buffers[data];
        MemorySegment idx = buffers[indices];
        MemorySegment dst = buffers[out];
        for (int i = 0; i < batch; i++) {
            long t = wide ? idx.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i) : idx.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i);
            if (t < 0 || t >= steps) {
                throw new InvalidInputException(indicesName, "index " + t + " at row " + i + " is outside [0, " + steps + ")");
            }
            MemorySegment.copy(src, (i * (long) steps + t) * rowBytes, dst, i * rowBytes, rowBytes);
        }
    }
}
