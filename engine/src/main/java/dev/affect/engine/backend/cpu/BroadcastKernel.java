package dev.affect.engine.backend.cpu;

import dev.affect.engine.backend.Binary;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * out = a0 (op) a1 (op) a2 ... over NHWC tensors where operands broadcast along N, H or W but
 * have every channel. oneDNN's jit binary has no such broadcast (it falls back to a reference
 * loop about 100x slower), and coordinate attention needs exactly this: x * a_w * a_h. Channels
 * are innermost in NHWC, so the inner loop is a contiguous vector loop for every operand.
 */
final class BroadcastKernel implements Runnable {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private final Binary.Kind kind;
    private final PlanValue out;
    private final PlanValue[] operands;
    private final int n;
    private final int h;
    private final int w;
    private final int c;
    /** Element strides per operand for n, h, w (0 where broadcast). */
    private final long[][] strides;
    /** Scratch for the current row's offsets; a plan runs on one thread at a time. */
    private final long[] base;
    private final MemorySegment[] src;

    BroadcastKernel(Binary.Kind kind, PlanValue out, List<PlanValue> operands) {
        this.kind = kind;
        this.out = out;
        this.operands = operands.toArray(PlanValue[]::new);
        Shape s = out.shape;
        n = s.dim(0);
        c = s.dim(1);
        h = s.dim(2);
        w = s.dim(3);
        strides = new long[this.operands.length][];
        base = new long[this.operands.length];
        src = new MemorySegment[this.operands.length];
        for (int i = 0; i < this.operands.length; i++) {
            Shape o = this.operands[i].shape;
            if (o.dim(1) != c) {
                throw new IllegalArgumentException("broadcast kernel needs every channel, got " + o + " for " + s);
            }
            long sw = o.dim(3) == 1 ? 0 : c;
            long sh = o.dim(2) == 1 ? 0 : (long) o.dim(3) * c;
            long sn = o.dim(0) == 1 ? 0 : (long) o.dim(2) * o.dim(3) * c;
            strides[i] = new long[] {sn, sh, sw};
        }
    }

    static boolean supports(Shape out, List<Shape> operands) {
        return out.rank() == 4 && operands.stream().allMatch(o -> o.rank() == 4 && o.dim(1) == out.dim(1));
    }

    @Override
    public void run() {
        MemorySegment dst = out.data;
        int k = operands.length;
        for (int i = 0; i < k; i++) {
            src[i] = operands[i].data;
        }
        int upper = F.loopBound(c);
        long o = 0;
        for (int in = 0; in < n; in++) {
            for (int ih = 0; ih < h; ih++) {
                for (int iw = 0; iw < w; iw++) {
                    for (int i = 0; i < k; i++) {
                        base[i] = in * strides[i][0] + ih * strides[i][1] + iw * strides[i][2];
                    }
                    int ic = 0;
                    for (; ic < upper; ic += F.length()) {
                        FloatVector acc = FloatVector.fromMemorySegment(F, src[0], (base[0] + ic) * 4, NATIVE);
                        for (int i = 1; i < k; i++) {
                            FloatVector v = FloatVector.fromMemorySegment(F, src[i], (base[i] + ic) * 4, NATIVE);
                            acc = switch (kind) {
                                case MUL -> acc.mul(v);
                                case ADD -> acc.add(v);
                                case MAX -> acc.max(v);
                            };
                        }
                        acc.intoMemorySegment(dst, (o + ic) * 4, NATIVE);
                    }
                    for (; ic < c; ic++) {
                        float acc = src[0].getAtIndex(ValueLayout.JAVA_FLOAT, base[0] + ic);
                        for (int i = 1; i < k; i++) {
                            acc = kind.apply(acc, src[i].getAtIndex(ValueLayout.JAVA_FLOAT, base[i] + ic));
                        }
                        dst.setAtIndex(ValueLayout.JAVA_FLOAT, o + ic, acc);
                    }
                    o += c;
                }
            }
        }
    }
}
