package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.Conv2dBackwardData;
import dev.affect.engine.graph.Conv2dBackwardWeights;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A convolution's gradients: oneDNN's convolution backward data (gx, with the weight in a layout
 * the prepared model caches, as the forward's) and backward weights (gw and the bias gradient in
 * one primitive). Each is made with a forward_training descriptor of the same geometry as its hint;
 * layouts are left to oneDNN and the activations reordered only where they arrive in another one.
 * Grouped weights are [g, O/g, C/g, kH, kW], as the forward lowering describes them.
 */
final class ConvBackwardLowering {
    private ConvBackwardLowering() {
    }

    /** The forward convolution's geometry, as oneDNN's descriptors want it. */
    private record Geometry(Conv2d conv, Shape x, Shape w, Shape y, Shape userW, int padBottom, int padRight) {
        static Geometry of(Conv2d c, Shape x, Shape w, Shape y) {
            int g = c.groups();
            Shape userW = g == 1 ? w : Shape.of(g, w.dim(0) / g, w.dim(1), w.dim(2), w.dim(3));
            int padBottom = (y.dim(2) - 1) * c.strideH() + w.dim(2) - x.dim(2) - c.padH();
            int padRight = (y.dim(3) - 1) * c.strideW() + w.dim(3) - x.dim(3) - c.padW();
            return new Geometry(c, x, w, y, userW, Math.max(0, padBottom), Math.max(0, padRight));
        }

        MemorySegment strides(Arena a) {
            return DnnlHandles.dims(a, conv.strideH(), conv.strideW());
        }

        MemorySegment dilation(Arena a) {
            return DnnlHandles.dims(a, 0, 0);
        }

        MemorySegment padLeft(Arena a) {
            return DnnlHandles.dims(a, conv.padH(), conv.padW());
        }

        MemorySegment padRight(Arena a) {
            return DnnlHandles.dims(a, padBottom, padRight);
        }

        Shape bias() {
            return Shape.of(w.dim(0));
        }
    }

    static void data(CpuGraphCompiler b, Node n, Conv2dBackwardData op) {
        String name = n.name();
        CpuValue gy = b.in(n, Conv2dBackwardData.GY);
        Value w = n.input(Conv2dBackwardData.W);
        Geometry g = Geometry.of(op.forward(), b.shape(n.input(Conv2dBackwardData.X)), b.shape(w), gy.shape);
        try (Arena a = Arena.ofConfined(); Attr attr = GradientLowering.attr(b, true)) {
            MemorySegment pd = b.preferCachedWeights(new String[] {w.kind() == Value.Kind.PARAMETER ? w.name() : null},
                    new int[] {0}, new MemorySegment[] {b.anyMd(g.userW)}, new MemorySegment[] {b.plainMd(g.userW)},
                    mds -> GradientLowering.withHint(forward(b, g, mds[0], attr, name), hint -> GradientLowering.create(
                            "dnnl_convolution_backward_data_primitive_desc_create(" + name + ")",
                            out -> dnnl_convolution_backward_data_primitive_desc_create(out, b.engine, dnnl_convolution_direct(),
                                    b.anyMd(g.x), mds[0], b.anyMd(g.y), g.strides(a), g.dilation(a), g.padLeft(a),
                                    g.padRight(a), hint, attr.get()))));
            MemorySegment wanted = CpuGraphCompiler.query(pd, dnnl_query_weights_md());
            CpuValue weights = w.kind() == Value.Kind.PARAMETER ? b.weight(w, g.userW, b.plainMd(g.userW), wanted)
                    : b.toLayout(GradientLowering.plainAs(b, b.in(n, Conv2dBackwardData.W), g.userW, name + ".w"), wanted, name);
            CpuValue diffDst = b.toLayout(gy, CpuGraphCompiler.query(pd, dnnl_query_diff_dst_md()), name);
            CpuValue gx = GradientLowering.output(b, pd, dnnl_query_diff_src_md(), name, g.x);
            b.primitive(name, pd, List.of(new CpuStep.Arg(DNNL_ARG_DIFF_DST(), diffDst), new CpuStep.Arg(DNNL_ARG_WEIGHTS(), weights),
                    new CpuStep.Arg(DNNL_ARG_DIFF_SRC(), gx)), List.of(gx));
            b.define(n.output(), gx);
        }
    }

    static void weights(CpuGraphCompiler b, Node n, Conv2dBackwardWeights op) {
        String name = n.name();
        CpuValue x = b.in(n, Conv2dBackwardWeights.X);
        CpuValue gy = b.in(n, Conv2dBackwardWeights.GY);
        Geometry g = Geometry.of(op.forward(), x.shape, b.shape(n.input(Conv2dBackwardWeights.W)), gy.shape);
        boolean bias = op.forward().bias();
        try (Arena a = Arena.ofConfined(); Attr attr = GradientLowering.attr(b, true)) {
            MemorySegment biasMd = bias ? b.plainMd(g.bias()) : MemorySegment.NULL;
            MemorySegment pd = b.handles.ownPd(GradientLowering.withHint(forward(b, g, b.anyMd(g.userW), attr, name),
                    hint -> GradientLowering.create("dnnl_convolution_backward_weights_primitive_desc_create(" + name + ")",
                            out -> dnnl_convolution_backward_weights_primitive_desc_create(out, b.engine,
                                    dnnl_convolution_direct(), b.anyMd(g.x), b.anyMd(g.userW), biasMd, b.anyMd(g.y),
                                    g.strides(a), g.dilation(a), g.padLeft(a), g.padRight(a), hint, attr.get()))));
            List<CpuStep.Arg> args = new ArrayList<>();
            args.add(new CpuStep.Arg(DNNL_ARG_SRC(), b.toLayout(x, CpuGraphCompiler.query(pd, dnnl_query_src_md()), name)));
            args.add(new CpuStep.Arg(DNNL_ARG_DIFF_DST(), b.toLayout(gy, CpuGraphCompiler.query(pd, dnnl_query_diff_dst_md()), name)));
            CpuValue gw = GradientLowering.output(b, pd, dnnl_query_diff_weights_md(), name + ".gw", g.userW);
            args.add(new CpuStep.Arg(DNNL_ARG_DIFF_WEIGHTS(), gw));
            List<CpuValue> writes = new ArrayList<>(List.of(gw));
            CpuValue gb = null;
            if (bias) {
                gb = b.activation(name + ".gb", g.bias(), b.plainMd(g.bias()));
                args.add(new CpuStep.Arg(DNNL_ARG_DIFF_BIAS(), gb));
                writes.add(gb);
            }
            b.primitive(name, pd, args, writes);
            // the optimiser and the caller read weights as the store holds them: [O, C/g, kH, kW] row-major
            b.define(n.outputs().get(0), GradientLowering.plainAs(b, gw, g.w, name + ".gw.plain"));
            if (bias) {
                b.define(n.outputs().get(1), gb);
            }
        }
    }

    /** The forward_training convolution the backward descriptors take as their hint (caller owns it). */
    private static MemorySegment forward(CpuGraphCompiler b, Geometry g, MemorySegment weightsMd, Attr attr, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment biasMd = g.conv.bias() ? b.plainMd(g.bias()) : MemorySegment.NULL;
            return GradientLowering.create("dnnl_convolution_forward_primitive_desc_create(" + name + ".hint)",
                    out -> dnnl_convolution_forward_primitive_desc_create(out, b.engine, dnnl_forward_training(),
                            dnnl_convolution_direct(), b.anyMd(g.x), weightsMd, biasMd, b.anyMd(g.y), g.strides(a),
                            g.dilation(a), g.padLeft(a), g.padRight(a), attr.get()));
        }
    }
}
