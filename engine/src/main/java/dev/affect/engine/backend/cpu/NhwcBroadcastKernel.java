package dev.affect.engine.backend.cpu;

import dev.affect.engine.graph.Binary;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * out = a0 (op) a1 (op) a2 ... over NHWC tensors where operands broadcast along N, H or W but have
 * every channel. oneDNN's jit binary has no such broadcast (it falls back to a reference loop about
 * 100x slower), and coordinate attention needs exactly this: x * a_w * a_h. Channels are innermost
 * in NHWC, so the inner loop is a contiguous vector loop for every operand. Stateless: the buffers
 * come from the calling context.
 */
final class NhwcBroadcastKernel implements JavaKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private final Binary.Kind kind;
    private final int out;
    private final int[] operands;
    private final int n;
    private final int h;
    private final int w;
    private final int c;
    /** Element strides per operand for n, h, w (0 where broadcast). */
    private final long[][] strides;

    NhwcBroadcastKernel(Binary.Kind kind, CpuValue out, List<CpuValue> operands) {
        this.kind = kind;
        this.out = out.index;
        this.operands = operands.stream().mapToInt(v -> v.index).toArray();
        Shape s = out.shape;
        n = s.dim(0);
        c = s.dim(1);
        h = s.dim(2);
        w = s.dim(3);
        strides = new long[operands.size()][];
        for (int i = 0; i < operands.size(); i++) {
            Shape o = operands.get(i).shape;
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
    public void run(MemorySegment[] data) {
        if (operands.length == 2) {
            run2(data[out], data[operands[0]], data[operands[1]]);
        } else if (operands.length == 3) {
            run3(data[out], data[operands[0]], data[operands[1]], data[operands[2]]);
        } else {
            runScalar(data);
        }
    }

    /** Two operands; straight-line vector code, so C2 keeps every vector in registers. */
    private void run2(MemorySegment dst, MemorySegment a, MemorySegment b) {
        int upper = F.loopBound(c);
        long o = 0;
        for (int in = 0; in < n; in++) {
            for (int ih = 0; ih < h; ih++) {
                for (int iw = 0; iw < w; iw++) {
                    long ba = offset(0, in, ih, iw);
                    long bb = offset(1, in, ih, iw);
                    int ic = 0;
                    for (; ic < upper; ic += F.length()) {
                        FloatVector va = FloatVector.fromMemorySegment(F, a, (ba + ic) * 4, NATIVE);
                        FloatVector vb = FloatVector.fromMemorySegment(F, b, (bb + ic) * 4, NATIVE);
                        combine(va, vb).intoMemorySegment(dst, (o + ic) * 4, NATIVE);
                    }
                    for (; ic < c; ic++) {
                        dst.setAtIndex(FLOAT, o + ic, kind.apply(a.getAtIndex(FLOAT, ba + ic), b.getAtIndex(FLOAT, bb + ic)));
                    }
                    o += c;
                }
            }
        }
    }

    /** Three operands: coordinate attention's x * a_w * a_h in one pass. */
    private void run3(MemorySegment dst, MemorySegment a, MemorySegment b, MemorySegment d) {
        int upper = F.loopBound(c);
        long o = 0;
        for (int in = 0; in < n; in++) {
            for (int ih = 0; ih < h; ih++) {
                for (int iw = 0; iw < w; iw++) {
                    long ba = offset(0, in, ih, iw);
                    long bb = offset(1, in, ih, iw);
                    long bd = offset(2, in, ih, iw);
                    int ic = 0;
                    for (; ic < upper; ic += F.length()) {
                        FloatVector va = FloatVector.fromMemorySegment(F, a, (ba + ic) * 4, NATIVE);
                        FloatVector vb = FloatVector.fromMemorySegment(F, b, (bb + ic) * 4, NATIVE);
                        FloatVector vd = FloatVector.fromMemorySegment(F, d, (bd + ic) * 4, NATIVE);
                        combine(combine(va, vb), vd).intoMemorySegment(dst, (o + ic) * 4, NATIVE);
                    }
                    for (; ic < c; ic++) {
                        float v = kind.apply(a.getAtIndex(FLOAT, ba + ic), b.getAtIndex(FLOAT, bb + ic));
                        dst.setAtIndex(FLOAT, o + ic, kind.apply(v, d.getAtIndex(FLOAT, bd + ic)));
                    }
                    o += c;
                }
            }
        }
    }

    /** Longer chains (not produced by our models) take the plain scalar path. */
    private void runScalar(MemorySegment[] data) {
        MemorySegment dst = data[out];
        long o = 0;
        for (int in = 0; in < n; in++) {
            for (int ih = 0; ih < h; ih++) {
                for (int iw = 0; iw < w; iw++) {
                    for (int ic = 0; ic < c; ic++) {
                        float v = data[operands[0]].getAtIndex(FLOAT, offset(0, in, ih, iw) + ic);
                        for (int i = 1; i < operands.length; i++) {
                            v = kind.apply(v, data[operands[i]].getAtIndex(FLOAT, offset(i, in, ih, iw) + ic));
                        }
                        dst.setAtIndex(FLOAT, o + ic, v);
                    }
                    o += c;
                }
            }
        }
    }

    private long offset(int operand, int in, int ih, int iw) {
        long[] s = strides[operand];
        return in * s[0] + ih * s[1] + iw * s[2];
    }

    private FloatVector combine(FloatVector x, FloatVector y) {
        return switch (kind) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
        };
    }
}
