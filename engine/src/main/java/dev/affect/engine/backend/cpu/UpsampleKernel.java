package dev.affect.engine.backend.cpu;

import dev.affect.engine.graph.Upsample;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Nearest upsampling of plain float32 NCHW to an explicit size with torch's source indices
 * ({@link Upsample#sourceIndex}): a gather of rows of elements, indices fixed at compile time.
 */
final class UpsampleKernel implements JavaKernel {
    private final int src;
    private final int dst;
    private final int planes;
    private final int inH;
    private final int inW;
    private final int[] rows;
    private final int[] cols;

    UpsampleKernel(CpuValue src, CpuValue dst) {
        this.src = src.index;
        this.dst = dst.index;
        this.planes = src.shape.dim(0) * src.shape.dim(1);
        this.inH = src.shape.dim(2);
        this.inW = src.shape.dim(3);
        int outH = dst.shape.dim(2);
        int outW = dst.shape.dim(3);
        rows = new int[outH];
        for (int i = 0; i < outH; i++) {
            rows[i] = Upsample.sourceIndex(i, inH, outH);
        }
        cols = new int[outW];
        for (int i = 0; i < outW; i++) {
            cols[i] = Upsample.sourceIndex(i, inW, outW);
        }
    }

    @Override
    public void run(MemorySegment[] buffers) {
        MemorySegment x = buffers[src];
        MemorySegment y = buffers[dst];
        int outH = rows.length;
        int outW = cols.length;
        long o = 0;
        for (int p = 0; p < planes; p++) {
            long plane = (long) p * inH * inW;
            for (int r = 0; r < outH; r++) {
                long row = plane + (long) rows[r] * inW;
                for (int c = 0; c < outW; c++) {
                    y.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, o++, x.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, row + cols[c]));
                }
            }
        }
    }
}
