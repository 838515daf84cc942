package dev.affect.engine.backend.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Mean over one axis of plain data, for the axes where oneDNN's reduction has only its reference
 * loop (channels, batch): out[o, i] = sum_k x[o, k, i] / K, accumulated row by row so that the inner
 * loop runs over contiguous memory.
 */
final class MeanKernel implements JavaKernel {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private final int src;
    private final int dst;
    private final long outer;
    private final int reduced;
    private final long inner;

    MeanKernel(CpuValue x, CpuValue out, int axis) {
        src = x.index;
        dst = out.index;
        long o = 1;
        for (int i = 0; i < axis; i++) {
            o *= x.shape.dim(i);
        }
        long in = 1;
        for (int i = axis + 1; i < x.shape.rank(); i++) {
            in *= x.shape.dim(i);
        }
        outer = o;
        reduced = x.shape.dim(axis);
        inner = in;
    }

    @Override
    public void run(MemorySegment[] data) {
        MemorySegment x = data[src];
        MemorySegment y = data[dst];
        float scale = 1f / reduced;
        for (long o = 0; o < outer; o++) {
            long out = o * inner;
            for (long i = 0; i < inner; i++) {
                y.setAtIndex(F, out + i, 0f);
            }
            for (int k = 0; k < reduced; k++) {
                long row = (o * reduced + k) * inner;
                for (long i = 0; i < inner; i++) {
                    y.setAtIndex(F, out + i, y.getAtIndex(F, out + i) + x.getAtIndex(F, row + i));
                }
            }
            for (long i = 0; i < inner; i++) {
                y.setAtIndex(F, out + i, y.getAtIndex(F, out + i) * scale);
            }
        }
    }
}
