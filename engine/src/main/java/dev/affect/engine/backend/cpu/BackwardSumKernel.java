package dev.affect.engine.backend.cpu;

import dev.affect.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * out = scale * (x summed over the axes where out has size 1 and x has not), on plain tensors of one
 * rank: the gradient of an operand that was broadcast, where oneDNN's reduction has only its
 * reference loop (over the batch axis, or several axes at once). Walks x row by row; a reduced last
 * axis is summed in double before it is added, so long rows lose no precision.
 */
final class BackwardSumKernel implements JavaKernel {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private final int src;
    private final int dst;
    private final int[] dims;
    private final long[] dstStrides;
    private final long dstSize;
    private final long srcSize;
    private final float scale;

    BackwardSumKernel(CpuValue x, CpuValue out, float scale) {
        this.src = x.index;
        this.dst = out.index;
        this.dims = x.shape.dims();
        this.dstStrides = strides(out.shape, x.shape);
        this.dstSize = out.shape.numel();
        this.srcSize = x.shape.numel();
        this.scale = scale;
    }

    /** out's row-major strides, 0 along the axes it sums over. */
    static long[] strides(Shape out, Shape x) {
        long[] plain = CpuGraphCompiler.plainStrides(out);
        long[] st = new long[x.rank()];
        for (int i = 0; i < st.length; i++) {
            st[i] = out.dim(i) == 1 && x.dim(i) != 1 ? 0 : plain[i];
        }
        return st;
    }

    @Override
    public void run(MemorySegment[] data) {
        MemorySegment x = data[src];
        MemorySegment y = data[dst];
        y.asSlice(0, dstSize * Float.BYTES).fill((byte) 0);
        int rank = dims.length;
        int inner = dims[rank - 1];
        long innerStride = dstStrides[rank - 1];
        long outer = srcSize / inner;
        long in = 0;
        for (long row = 0; row < outer; row++) {
            long o = 0;
            long rest = row;
            for (int d = rank - 2; d >= 0; d--) {
                o += rest % dims[d] * dstStrides[d];
                rest /= dims[d];
            }
            if (innerStride == 0) {
                double sum = 0;
                for (int i = 0; i < inner; i++) {
                    sum += x.getAtIndex(F, in++);
                }
                y.setAtIndex(F, o, (float) (y.getAtIndex(F, o) + sum));
            } else {
                for (int i = 0; i < inner; i++) {
                    y.setAtIndex(F, o + i, y.getAtIndex(F, o + i) + x.getAtIndex(F, in++));
                }
            }
        }
        if (scale != 1f) {
            for (long i = 0; i < dstSize; i++) {
                y.setAtIndex(F, i, y.getAtIndex(F, i) * scale);
            }
        }
    }
}
