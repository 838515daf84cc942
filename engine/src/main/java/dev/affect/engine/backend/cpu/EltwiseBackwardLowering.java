package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.engine.graph.ActivationBackward;
import dev.affect.engine.graph.MeanBackward;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.PReluBackward;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * Gradients of the pointwise ops and of Mean. Activations are oneDNN's eltwise backward on the
 * forward input with the forward's algorithm and alpha/beta (its kinks match torch's: ReLU' (0) = 0,
 * and h-swish x*relu6(x+3)/6 has gradient 0 at -3 and 1 at 3, relu6's own being 0 at both), PReLU is
 * prelu backward (gslope per channel). Mean over H or W of 4-D data is average pooling backward
 * (the forward's own pooling, jit for every layout); over other axes gy/n is broadcast by a binary
 * add onto zeros with a scaling post-op.
 */
final class EltwiseBackwardLowering {
    private EltwiseBackwardLowering() {
    }

    static void activation(CpuGraphCompiler b, Node n, ActivationBackward op) {
        String name = n.name();
        CpuValue x = b.in(n, ActivationBackward.X);
        CpuValue gy = b.toLayout(b.in(n, ActivationBackward.GY), x.md, name);
        Attr.Eltwise e = Attr.Eltwise.of(op.forward());
        try (Attr attr = GradientLowering.attr(b, false)) {
            MemorySegment hint = GradientLowering.create("dnnl_eltwise_forward_primitive_desc_create(" + name + ".hint)",
                    out -> dnnl_eltwise_forward_primitive_desc_create(out, b.engine, dnnl_forward_training(), e.alg(), x.md, x.md,
                            e.alpha(), e.beta(), attr.get()));
            MemorySegment pd = b.handles.ownPd(GradientLowering.withHint(hint, h -> GradientLowering.create(
                    "dnnl_eltwise_backward_primitive_desc_create(" + name + ")",
                    out -> dnnl_eltwise_backward_primitive_desc_create(out, b.engine, e.alg(), x.md, x.md, x.md, e.alpha(),
                            e.beta(), h, attr.get()))));
            CpuValue gx = GradientLowering.output(b, pd, dnnl_query_diff_src_md(), name, x.shape);
            b.primitive(name, pd, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), x), new CpuStep.Arg(DNNL_ARG_DIFF_DST(), gy),
                    new CpuStep.Arg(DNNL_ARG_DIFF_SRC(), gx)), List.of(gx));
            b.define(n.output(), gx);
        }
    }

    static void prelu(CpuGraphCompiler b, Node n) {
        String name = n.name();
        CpuValue x = b.in(n, PReluBackward.X);
        CpuValue gy = b.toLayout(b.in(n, PReluBackward.GY), x.md, name);
        int[] d = new int[x.shape.rank()];
        Arrays.fill(d, 1);
        d[1] = x.shape.dim(1);
        Shape perChannel = Shape.of(d);
        CpuValue slopes = b.parameterOrView(n, PReluBackward.SLOPE, perChannel);
        MemorySegment slopeMd = b.plainMd(perChannel);
        try (Attr attr = GradientLowering.attr(b, false)) {
            MemorySegment hint = GradientLowering.create("dnnl_prelu_forward_primitive_desc_create(" + name + ".hint)",
                    out -> dnnl_prelu_forward_primitive_desc_create(out, b.engine, dnnl_forward_training(), x.md, slopeMd, x.md,
                            attr.get()));
            MemorySegment pd = b.handles.ownPd(GradientLowering.withHint(hint, h -> GradientLowering.create(
                    "dnnl_prelu_backward_primitive_desc_create(" + name + ")",
                    out -> dnnl_prelu_backward_primitive_desc_create(out, b.engine, x.md, slopeMd, x.md, slopeMd, x.md, h,
                            attr.get()))));
            CpuValue gx = GradientLowering.output(b, pd, dnnl_query_diff_src_md(), name, x.shape);
            CpuValue gslope = b.activation(name + ".gslope", perChannel, b.plainMd(perChannel));
            b.primitive(name, pd, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), x), new CpuStep.Arg(DNNL_ARG_WEIGHTS(), slopes),
                    new CpuStep.Arg(DNNL_ARG_DIFF_DST(), gy), new CpuStep.Arg(DNNL_ARG_DIFF_SRC(), gx),
                    new CpuStep.Arg(DNNL_ARG_DIFF_WEIGHTS(), gslope)), List.of(gx, gslope));
            b.define(n.outputs().get(0), gx);
            b.define(n.outputs().get(1), GradientLowering.plainAs(b, gslope, b.shape(n.input(PReluBackward.SLOPE)), name + ".gslope"));
        }
    }

    static void mean(CpuGraphCompiler b, Node n, MeanBackward op) {
        CpuValue gy = b.in(n, MeanBackward.GY);
        Shape xs = b.shape(n.input(MeanBackward.X));
        int axis = Op.axis(op.axis(), xs.rank());
        if (xs.dim(axis) == 1) {
            b.define(n.output(), gy); // the forward passed its input through
            return;
        }
        b.define(n.output(), xs.rank() == 4 && axis >= 2 ? poolingBackward(b, n, gy, xs, axis)
                : broadcast(b, gy, xs, 1f / xs.dim(axis), n.name()));
    }

    /** Average pooling backward with the forward's Hx1 or 1xW window: every input gets gy / window. */
    private static CpuValue poolingBackward(CpuGraphCompiler b, Node n, CpuValue gy, Shape xs, int axis) {
        String name = n.name();
        MemorySegment xMd = b.in(n, MeanBackward.X).md; // the forward data's layout, for the gradient
        long kh = axis == 2 ? xs.dim(2) : 1;
        long kw = axis == 3 ? xs.dim(3) : 1;
        try (Arena a = Arena.ofConfined(); Attr attr = GradientLowering.attr(b, false)) {
            MemorySegment window = DnnlHandles.dims(a, kh, kw);
            MemorySegment zero = DnnlHandles.dims(a, 0, 0);
            MemorySegment hint = GradientLowering.create("dnnl_pooling_forward_primitive_desc_create(" + name + ".hint)",
                    out -> dnnl_pooling_forward_primitive_desc_create(out, b.engine, dnnl_forward_training(),
                            dnnl_pooling_avg_include_padding(), xMd, b.anyMd(gy.shape), window, window, zero, zero, zero, attr.get()));
            MemorySegment pd = b.handles.ownPd(GradientLowering.withHint(hint, h -> GradientLowering.create(
                    "dnnl_pooling_backward_primitive_desc_create(" + name + ")",
                    out -> dnnl_pooling_backward_primitive_desc_create(out, b.engine, dnnl_pooling_avg_include_padding(), xMd,
                            b.anyMd(gy.shape), window, window, zero, zero, zero, h, attr.get()))));
            CpuValue diffDst = b.toLayout(gy, CpuGraphCompiler.query(pd, dnnl_query_diff_dst_md()), name);
            CpuValue gx = GradientLowering.output(b, pd, dnnl_query_diff_src_md(), name, xs);
            b.primitive(name, pd, List.of(new CpuStep.Arg(DNNL_ARG_DIFF_DST(), diffDst), new CpuStep.Arg(DNNL_ARG_DIFF_SRC(), gx)),
                    List.of(gx));
            return gx;
        }
    }

    /**
     * {@code scale * v} broadcast to {@code shape}: oneDNN's binary broadcasts only its second source,
     * so it adds v to zeros of the full shape (a buffer that stays zero) and scales in a post-op.
     */
    static CpuValue broadcast(CpuGraphCompiler b, CpuValue v, Shape shape, float scale, String name) {
        CpuValue src1 = b.padRank(v, shape.rank(), name);
        CpuValue zeros = b.zeros(name + ".zeros", shape);
        try (Attr attr = GradientLowering.attr(b, false)) {
            if (scale != 1f) {
                attr.linear(scale, 0f);
            }
            MemorySegment pd = b.handles.ownPd(GradientLowering.create("dnnl_binary_primitive_desc_create(" + name + ")",
                    out -> dnnl_binary_primitive_desc_create(out, b.engine, dnnl_binary_add(), zeros.md, src1.md, zeros.md,
                            attr.get())));
            return b.finish(pd, attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC_0(), zeros), new CpuStep.Arg(DNNL_ARG_SRC_1(), src1)),
                    name, shape);
        }
    }
}
