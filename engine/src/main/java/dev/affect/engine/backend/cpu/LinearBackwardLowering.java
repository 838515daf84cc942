package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.engine.graph.LinearBackward;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A Linear's gradients as oneDNN's inner product backward, over x and gy flattened to rows (free
 * views of plain data, as the forward lowering does): backward data gives gx = gy w with the weight
 * in a layout the prepared model caches; backward weights gives gw = gy^T x and gb = the column sums
 * of gy in one primitive.
 */
final class LinearBackwardLowering {
    private LinearBackwardLowering() {
    }

    static void lower(CpuGraphCompiler b, Node n, LinearBackward op) {
        String name = n.name();
        CpuValue x = b.in(n, LinearBackward.X);
        Value w = n.input(LinearBackward.W);
        Shape ws = b.shape(w);
        int k = ws.dim(1);
        int m = ws.dim(0);
        int rows = (int) (x.shape.numel() / k);
        CpuValue x2 = b.plain(b.reshaped(x, Shape.of(rows, k), name + ".x"), name);
        CpuValue gy2 = b.plain(b.reshaped(b.in(n, LinearBackward.GY), Shape.of(rows, m), name + ".gy"), name);
        Shape bias = Shape.of(m);
        try (Attr attr = GradientLowering.attr(b, true)) {
            MemorySegment biasMd = op.bias() ? b.plainMd(bias) : MemorySegment.NULL;
            MemorySegment pd = b.preferCachedWeights(new String[] {w.kind() == Value.Kind.PARAMETER ? w.name() : null},
                    new int[] {0}, new MemorySegment[] {b.anyMd(ws)}, new MemorySegment[] {b.plainMd(ws)},
                    mds -> GradientLowering.withHint(forward(b, x2, gy2, mds[0], biasMd, attr, name), h -> GradientLowering.create(
                            "dnnl_inner_product_backward_data_primitive_desc_create(" + name + ")",
                            out -> dnnl_inner_product_backward_data_primitive_desc_create(out, b.engine, x2.md, mds[0], gy2.md, h,
                                    attr.get()))));
            MemorySegment wanted = CpuGraphCompiler.query(pd, dnnl_query_weights_md());
            CpuValue weights = w.kind() == Value.Kind.PARAMETER ? b.weight(w, ws, b.plainMd(ws), wanted)
                    : b.toLayout(b.in(n, LinearBackward.W), wanted, name);
            CpuValue gx = GradientLowering.output(b, pd, dnnl_query_diff_src_md(), name + ".gx", x2.shape);
            b.primitive(name + ".gx", pd, List.of(new CpuStep.Arg(DNNL_ARG_DIFF_DST(), gy2), new CpuStep.Arg(DNNL_ARG_WEIGHTS(), weights),
                    new CpuStep.Arg(DNNL_ARG_DIFF_SRC(), gx)), List.of(gx));
            b.define(n.outputs().get(0), b.reshaped(gx, x.shape, name + ".gx.view"));

            MemorySegment wpd = b.handles.ownPd(GradientLowering.withHint(forward(b, x2, gy2, b.anyMd(ws), biasMd, attr, name),
                    h -> GradientLowering.create("dnnl_inner_product_backward_weights_primitive_desc_create(" + name + ")",
                            out -> dnnl_inner_product_backward_weights_primitive_desc_create(out, b.engine, x2.md, b.anyMd(ws),
                                    biasMd, gy2.md, h, attr.get()))));
            List<CpuStep.Arg> args = new ArrayList<>();
            args.add(new CpuStep.Arg(DNNL_ARG_SRC(), b.toLayout(x2, CpuGraphCompiler.query(wpd, dnnl_query_src_md()), name)));
            args.add(new CpuStep.Arg(DNNL_ARG_DIFF_DST(), b.toLayout(gy2, CpuGraphCompiler.query(wpd, dnnl_query_diff_dst_md()), name)));
            CpuValue gw = GradientLowering.output(b, wpd, dnnl_query_diff_weights_md(), name + ".gw", ws);
            args.add(new CpuStep.Arg(DNNL_ARG_DIFF_WEIGHTS(), gw));
            List<CpuValue> writes = new ArrayList<>(List.of(gw));
            CpuValue gb = null;
            if (op.bias()) {
                gb = b.activation(name + ".gb", bias, b.plainMd(bias));
                args.add(new CpuStep.Arg(DNNL_ARG_DIFF_BIAS(), gb));
                writes.add(gb);
            }
            b.primitive(name + ".gw", wpd, args, writes);
            b.define(n.outputs().get(1), b.plain(gw, name + ".gw"));
            if (op.bias()) {
                b.define(n.outputs().get(2), gb);
            }
        }
    }

    /** The forward_training inner product the backward descriptors take as their hint (caller owns it). */
    private static MemorySegment forward(CpuGraphCompiler b, CpuValue x2, CpuValue gy2, MemorySegment weightsMd,
                                         MemorySegment biasMd, Attr attr, String name) {
        return GradientLowering.create("dnnl_inner_product_forward_primitive_desc_create(" + name + ".hint)",
                out -> dnnl_inner_product_forward_primitive_desc_create(out, b.engine, dnnl_forward_training(), x2.md, weightsMd,
                        biasMd, gy2.md, attr.get()));
    }
}
