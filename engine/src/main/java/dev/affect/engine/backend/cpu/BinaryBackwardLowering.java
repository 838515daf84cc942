package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.BinaryBackward;
import dev.affect.engine.graph.Node;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradients of a broadcasting binary op. The pointwise part is one oneDNN binary primitive with
 * post-ops (gy * b; gy / b; -(gy / b) * a / b), and each operand's gradient is then summed over the
 * axes it was broadcast along ({@link #sumTo}). MAX and MIN route gy to the winner, ties split in
 * half, in {@link MaxMinBackwardKernel}.
 */
final class BinaryBackwardLowering {
    private BinaryBackwardLowering() {
    }

    static void lower(CpuGraphCompiler b, Node n, BinaryBackward op) {
        String name = n.name();
        CpuValue a = b.in(n, BinaryBackward.A);
        CpuValue c = b.in(n, BinaryBackward.B);
        CpuValue gy = b.in(n, BinaryBackward.GY);
        CpuValue ga;
        CpuValue gb;
        switch (op.kind()) {
            case ADD -> {
                ga = sumTo(b, gy, a.shape, 1f, name + ".ga");
                gb = sumTo(b, gy, c.shape, 1f, name + ".gb");
            }
            case SUB -> {
                ga = sumTo(b, gy, a.shape, 1f, name + ".ga");
                gb = sumTo(b, gy, c.shape, -1f, name + ".gb");
            }
            case MUL -> {
                ga = sumTo(b, pointwise(b, gy, Binary.Kind.MUL, c, List.of(), 1f, name + ".gy*b"), a.shape, 1f, name + ".ga");
                gb = sumTo(b, pointwise(b, gy, Binary.Kind.MUL, a, List.of(), 1f, name + ".gy*a"), c.shape, 1f, name + ".gb");
            }
            case DIV -> {
                CpuValue t = pointwise(b, gy, Binary.Kind.DIV, c, List.of(), 1f, name + ".gy/b");
                ga = sumTo(b, t, a.shape, 1f, name + ".ga");
                // d(a/b)/db = -a/b^2: -(gy/b) * a / b, with a and b read broadcast by the post-ops
                CpuValue u = pointwise(b, t, Binary.Kind.MUL, a, List.of(c), -1f, name + ".-gy*a/b^2");
                gb = sumTo(b, u, c.shape, 1f, name + ".gb");
            }
            case MAX, MIN -> {
                CpuValue pa = b.plain(b.padRank(a, gy.shape.rank(), name), name);
                CpuValue pc = b.plain(b.padRank(c, gy.shape.rank(), name), name);
                CpuValue pg = b.plain(gy, name);
                CpuValue wa = b.activation(name + ".ga", pa.shape, b.plainMd(pa.shape));
                CpuValue wb = b.activation(name + ".gb", pc.shape, b.plainMd(pc.shape));
                b.kernel(name, op.kind().name().toLowerCase() + " backward (ties split)",
                        new MaxMinBackwardKernel(op.kind(), pa, pc, pg, wa, wb), List.of(pa, pc, pg), List.of(wa, wb));
                ga = wa;
                gb = wb;
            }
            default -> throw new IllegalStateException("unknown binary kind " + op.kind());
        }
        b.define(n.outputs().get(0), b.reshaped(ga, a.shape, name + ".ga.view"));
        b.define(n.outputs().get(1), b.reshaped(gb, c.shape, name + ".gb.view"));
    }

    /**
     * scale * ((full (kind) v) / each of {@code divisors}), the shape and layout of {@code full}
     * (gy's), with v and the divisors read broadcast.
     */
    private static CpuValue pointwise(CpuGraphCompiler b, CpuValue full, Binary.Kind kind, CpuValue v, List<CpuValue> divisors,
                                      float scale, String name) {
        CpuValue src1 = operand(b, v, full, name);
        if (divisors.isEmpty() && scale == 1f && BinaryLowering.broadcastsSpatially(src1.shape, full.shape)
                && NhwcBroadcastKernel.supports(full.shape, List.of(full.shape, src1.shape))) {
            // a broadcast along N, H or W (coordinate attention's gates): oneDNN has only its reference loop
            return BinaryLowering.kernel(b, kind, List.of(full, src1), full.shape, name);
        }
        try (Attr attr = GradientLowering.attr(b, false)) {
            for (CpuValue d : divisors) {
                attr.binary(Binary.Kind.DIV, operand(b, d, full, name));
            }
            if (scale != 1f) {
                attr.linear(scale, 0f);
            }
            MemorySegment pd = b.handles.ownPd(GradientLowering.create("dnnl_binary_primitive_desc_create(" + name + ")",
                    out -> dnnl_binary_primitive_desc_create(out, b.engine, Attr.binaryAlg(kind), full.md, src1.md, full.md,
                            attr.get())));
            return b.finish(pd, attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC_0(), full), new CpuStep.Arg(DNNL_ARG_SRC_1(), src1)),
                    name, full.shape);
        }
    }

    /** A second operand: at gy's rank, and in gy's layout when it is not broadcast. */
    private static CpuValue operand(CpuGraphCompiler b, CpuValue v, CpuValue full, String name) {
        CpuValue p = b.padRank(v, full.shape.rank(), name);
        return p.shape.equals(full.shape) ? b.toLayout(p, full.md, name) : p;
    }

    /**
     * scale * v summed to {@code target} (v's shape with broadcast axes of size 1, NumPy-aligned):
     * v itself or one eltwise scaling when nothing is summed; over H and/or W of 4-D data an average
     * pooling times the window (jit for every layout, where oneDNN's reduction has only ref); else
     * oneDNN's sum reduction, or {@link BackwardSumKernel} where that is its reference loop.
     */
    static CpuValue sumTo(CpuGraphCompiler b, CpuValue v, Shape target, float scale, String name) {
        Shape padded = Binary.padLeft(target, v.shape.rank());
        if (padded.equals(v.shape)) {
            return scale == 1f ? v : scaled(b, v, scale, name);
        }
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < padded.rank(); i++) {
            if (padded.dim(i) != v.shape.dim(i)) {
                axes.add(i);
            }
        }
        try (Attr attr = GradientLowering.attr(b, false)) {
            boolean spatial = v.shape.rank() == 4 && axes.stream().allMatch(x -> x >= 2);
            long window = 1;
            for (int axis : axes) {
                window *= v.shape.dim(axis);
            }
            float s = spatial ? scale * window : scale;
            if (s != 1f) {
                attr.linear(s, 0f);
            }
            MemorySegment pd = spatial ? pooling(b, v, padded, attr, name) : reduction(b, v, padded, attr, name);
            if (!CpuGraphCompiler.isRef(pd)) {
                return b.finish(b.handles.ownPd(pd), attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), v)), name, padded);
            }
            CpuGraphCompiler.destroyPd(pd); // oneDNN's reference loop: the Java pass below is much faster
        }
        CpuValue p = b.plain(v, name);
        CpuValue out = b.activation(name, padded, b.plainMd(padded));
        b.kernel(name, "sum over axes " + axes, new BackwardSumKernel(p, out, scale), List.of(p), List.of(out));
        return out;
    }

    private static CpuValue scaled(CpuGraphCompiler b, CpuValue v, float scale, String name) {
        try (Attr attr = GradientLowering.attr(b, false)) {
            MemorySegment pd = b.handles.ownPd(GradientLowering.create("dnnl_eltwise_forward_primitive_desc_create(" + name + ")",
                    out -> dnnl_eltwise_forward_primitive_desc_create(out, b.engine, dnnl_forward_inference(), dnnl_eltwise_linear(),
                            v.md, v.md, scale, 0f, attr.get())));
            return b.finish(pd, attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), v)), name, v.shape);
        }
    }

    private static MemorySegment pooling(CpuGraphCompiler b, CpuValue v, Shape out, Attr attr, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment window = DnnlHandles.dims(a, v.shape.dim(2) / out.dim(2), v.shape.dim(3) / out.dim(3));
            MemorySegment zero = DnnlHandles.dims(a, 0, 0);
            return GradientLowering.create("dnnl_pooling_forward_primitive_desc_create(" + name + ")",
                    o -> dnnl_pooling_forward_primitive_desc_create(o, b.engine, dnnl_forward_inference(),
                            dnnl_pooling_avg_include_padding(), v.md, b.anyMd(out), window, window, zero, zero, zero, attr.get()));
        }
    }

    private static MemorySegment reduction(CpuGraphCompiler b, CpuValue v, Shape out, Attr attr, String name) {
        return GradientLowering.create("dnnl_reduction_primitive_desc_create(" + name + ")",
                o -> dnnl_reduction_primitive_desc_create(o, b.engine, dnnl_reduction_sum(), v.md, b.anyMd(out), 0f, 0f,
                        attr.get()));
    }
}
