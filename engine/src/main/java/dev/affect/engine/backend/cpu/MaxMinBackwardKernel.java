package dev.affect.engine.backend.cpu;

import dev.affect.engine.graph.Binary;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The gradients of torch.maximum / torch.minimum over plain operands of one rank (NumPy
 * broadcasting): gy goes to the winning operand, half to each on a tie, and is summed over the axes
 * an operand was broadcast along. oneDNN has no primitive for the comparison masks (its binary
 * compares, but a mask, a product and a tie split would be three passes plus reductions), so this
 * is one pass over gy in Java; the op is rare in the networks served.
 */
final class MaxMinBackwardKernel implements JavaKernel {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private final boolean max;
    private final int a;
    private final int b;
    private final int gy;
    private final int ga;
    private final int gb;
    private final int[] dims;
    private final long[] strideA;
    private final long[] strideB;
    private final long sizeA;
    private final long sizeB;
    private final long total;

    MaxMinBackwardKernel(Binary.Kind kind, CpuValue a, CpuValue b, CpuValue gy, CpuValue ga, CpuValue gb) {
        if (kind != Binary.Kind.MAX && kind != Binary.Kind.MIN) {
            throw new IllegalArgumentException("max/min backward kernel got " + kind);
        }
        this.max = kind == Binary.Kind.MAX;
        this.a = a.index;
        this.b = b.index;
        this.gy = gy.index;
        this.ga = ga.index;
        this.gb = gb.index;
        this.dims = gy.shape.dims();
        this.strideA = BackwardSumKernel.strides(a.shape, gy.shape);
        this.strideB = BackwardSumKernel.strides(b.shape, gy.shape);
        this.sizeA = a.shape.numel();
        this.sizeB = b.shape.numel();
        this.total = gy.shape.numel();
    }

    @Override
    public void run(MemorySegment[] data) {
        MemorySegment x = data[a];
        MemorySegment y = data[b];
        MemorySegment g = data[gy];
        MemorySegment gx = data[ga];
        MemorySegment gyOut = data[gb];
        gx.asSlice(0, sizeA * Float.BYTES).fill((byte) 0);
        gyOut.asSlice(0, sizeB * Float.BYTES).fill((byte) 0);
        int rank = dims.length;
        for (long i = 0; i < total; i++) {
            long ia = 0;
            long ib = 0;
            long rest = i;
            for (int d = rank - 1; d >= 0; d--) {
                long coord = rest % dims[d];
                rest /= dims[d];
                ia += coord * strideA[d];
                ib += coord * strideB[d];
            }
            float u = x.getAtIndex(F, ia);
            float v = y.getAtIndex(F, ib);
            float grad = g.getAtIndex(F, i);
            float toA = u == v ? 0.5f * grad : (u > v) == max ? grad : 0f;
            float toB = u == v ? 0.5f * grad : grad - toA;
            gx.setAtIndex(F, ia, gx.getAtIndex(F, ia) + toA);
            gyOut.setAtIndex(F, ib, gyOut.getAtIndex(F, ib) + toB);
        }
    }
}
