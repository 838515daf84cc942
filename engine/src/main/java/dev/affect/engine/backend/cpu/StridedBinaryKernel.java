package dev.affect.engine.backend.cpu;

import dev.affect.engine.graph.Binary;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * out = a (op) b over plain tensors of one rank where both operands broadcast (NumPy rules), which
 * oneDNN's binary can only do with its reference implementation. Walks the output in row-major
 * order with per-operand strides that are 0 along broadcast axes; the innermost axis is a tight loop.
 */
final class StridedBinaryKernel implements JavaKernel {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private final Binary.Kind kind;
    private final int a;
    private final int b;
    private final int out;
    private final int[] dims;
    private final long[] strideA;
    private final long[] strideB;

    StridedBinaryKernel(Binary.Kind kind, CpuValue a, CpuValue b, CpuValue out) {
        this.kind = kind;
        this.a = a.index;
        this.b = b.index;
        this.out = out.index;
        this.dims = out.shape.dims();
        this.strideA = strides(a.shape, out.shape);
        this.strideB = strides(b.shape, out.shape);
    }

    private static long[] strides(Shape s, Shape out) {
        long[] plain = CpuGraphCompiler.plainStrides(s);
        long[] st = new long[out.rank()];
        for (int i = 0; i < st.length; i++) {
            st[i] = s.dim(i) == 1 && out.dim(i) != 1 ? 0 : plain[i];
        }
        return st;
    }

    @Override
    public void run(MemorySegment[] data) {
        MemorySegment x = data[a];
        MemorySegment y = data[b];
        MemorySegment dst = data[out];
        int rank = dims.length;
        int inner = dims[rank - 1];
        long sa = strideA[rank - 1];
        long sb = strideB[rank - 1];
        long outer = 1;
        for (int i = 0; i < rank - 1; i++) {
            outer *= dims[i];
        }
        long o = 0;
        for (long row = 0; row < outer; row++) {
            long ia = 0;
            long ib = 0;
            long rest = row;
            for (int d = rank - 2; d >= 0; d--) {
                long coord = rest % dims[d];
                rest /= dims[d];
                ia += coord * strideA[d];
                ib += coord * strideB[d];
            }
            for (int i = 0; i < inner; i++) {
                dst.setAtIndex(F, o++, kind.apply(x.getAtIndex(F, ia + i * sa), y.getAtIndex(F, ib + i * sb)));
            }
        }
    }
}
