package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.LstmBackward;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Backpropagation through time as oneDNN's LSTM backward. oneDNN's backward reads the workspace of
 * a forward_training execution, so the forward is recomputed here first (its descriptor is also
 * the backward's hint). Data are described as {@link LstmLowering} does (ntc sequences, ldnc states,
 * torch's [4H, K] weights as ldgoi with gate order i, f, g, o, and one bias b_ih + b_hh), each weight
 * cached in the layout each primitive wants. The backward overwrites its weight and bias gradients
 * (by default oneDNN adds into them), which are then reordered to torch's layout; the one bias
 * gradient is both b_ih's and b_hh's. Absent gh_T / gc_T read as zeros. oneDNN reports its
 * training LSTM as "ref", but that is its gemm-based RNN driver, not a naive loop.
 */
final class LstmBackwardLowering {
    private LstmBackwardLowering() {
    }

    /** The descriptors of every tensor both primitives see (views over plain [N, ...] buffers). */
    private record Layout(Shape layer, Shape iter, Shape outLayer, Shape wLayer, Shape wIter, Shape bias) {
    }

    static void lower(CpuGraphCompiler b, Node n) {
        String name = n.name();
        CpuValue x = b.plain(b.in(n, Lstm.X), name);
        int batch = x.shape.dim(0);
        int steps = x.shape.dim(1);
        int in = x.shape.dim(2);
        int hidden = b.shape(n.input(Lstm.W_IH)).dim(0) / 4;
        Layout l = new Layout(Shape.of(steps, batch, in), Shape.of(1, 1, batch, hidden), Shape.of(steps, batch, hidden),
                Shape.of(1, 1, in, 4, hidden), Shape.of(1, 1, hidden, 4, hidden), Shape.of(1, 1, 4, hidden));
        Shape state = Shape.of(batch, hidden);
        Shape seq = Shape.of(batch, steps, hidden);
        CpuValue src = sequence(b, x, l.layer, name + ".src_layer");
        CpuValue srcIter = iter(b, b.plain(b.in(n, Lstm.H0), name), l, name + ".src_iter");
        CpuValue srcIterC = iter(b, b.plain(b.in(n, Lstm.C0), name), l, name + ".src_iter_c");
        CpuValue dst = sequence(b, b.activation(name + ".y", seq, b.plainMd(seq)), l.outLayer, name + ".dst_layer");
        CpuValue dstIter = iter(b, b.activation(name + ".h_T", state, b.plainMd(state)), l, name + ".dst_iter");
        CpuValue dstIterC = iter(b, b.activation(name + ".c_T", state, b.plainMd(state)), l, name + ".dst_iter_c");
        MemorySegment biasMd = b.tagMd(l.bias, dnnl_ldgo());
        CpuValue bias = LstmLowering.bias(b, n, l.bias, biasMd);
        Value wih = n.input(Lstm.W_IH);
        Value whh = n.input(Lstm.W_HH);
        try (Attr attr = GradientLowering.attr(b, false)) {
            MemorySegment fwd = b.preferCachedWeights(new String[] {key(wih), key(whh)}, new int[] {0, 1},
                    new MemorySegment[] {b.anyMd(l.wLayer), b.anyMd(l.wIter)},
                    new MemorySegment[] {b.tagMd(l.wLayer, dnnl_ldgoi()), b.tagMd(l.wIter, dnnl_ldgoi())},
                    mds -> GradientLowering.create("dnnl_lstm_forward_primitive_desc_create(" + name + ".recompute)",
                            out -> dnnl_lstm_forward_primitive_desc_create(out, b.engine, dnnl_forward_training(),
                                    dnnl_unidirectional_left2right(), src.md, srcIter.md, srcIterC.md, mds[0], mds[1],
                                    MemorySegment.NULL, MemorySegment.NULL, biasMd, dst.md, dstIter.md, dstIterC.md,
                                    dnnl_rnn_flags_undef(), attr.get())));
            MemorySegment wsMd = CpuGraphCompiler.query(fwd, dnnl_query_workspace_md());
            CpuValue workspace = b.activation(name + ".workspace", Shape.of((int) (DnnlHandles.size(wsMd) / 4)), b.cloneMd(wsMd));
            List<CpuStep.Arg> fargs = new ArrayList<>(List.of(new CpuStep.Arg(DNNL_ARG_SRC_LAYER(), src),
                    new CpuStep.Arg(DNNL_ARG_SRC_ITER(), srcIter), new CpuStep.Arg(DNNL_ARG_SRC_ITER_C(), srcIterC),
                    new CpuStep.Arg(DNNL_ARG_WEIGHTS_LAYER(), weight(b, n, Lstm.W_IH, l.wLayer, fwd, 0, name)),
                    new CpuStep.Arg(DNNL_ARG_WEIGHTS_ITER(), weight(b, n, Lstm.W_HH, l.wIter, fwd, 1, name)),
                    new CpuStep.Arg(DNNL_ARG_BIAS(), bias), new CpuStep.Arg(DNNL_ARG_DST_LAYER(), dst),
                    new CpuStep.Arg(DNNL_ARG_DST_ITER(), dstIter), new CpuStep.Arg(DNNL_ARG_DST_ITER_C(), dstIterC),
                    new CpuStep.Arg(DNNL_ARG_WORKSPACE(), workspace)));
            b.primitive(name + ".recompute", fwd, fargs, List.of(dst, dstIter, dstIterC, workspace));

            CpuValue gx = b.activation(name + ".gx", x.shape, b.plainMd(x.shape));
            CpuValue gh0 = b.activation(name + ".gh0", state, b.plainMd(state));
            CpuValue gc0 = b.activation(name + ".gc0", state, b.plainMd(state));
            CpuValue diffSrc = sequence(b, gx, l.layer, name + ".diff_src_layer");
            CpuValue diffSrcIter = iter(b, gh0, l, name + ".diff_src_iter");
            CpuValue diffSrcIterC = iter(b, gc0, l, name + ".diff_src_iter_c");
            CpuValue diffDst = sequence(b, b.plain(b.in(n, LstmBackward.GY), name), l.outLayer, name + ".diff_dst_layer");
            boolean stateGrads = n.inputs().size() > LstmBackward.GH_T;
            CpuValue diffDstIter = iter(b, stateGrads ? b.plain(b.in(n, LstmBackward.GH_T), name) : b.zeros(name + ".gh_T", state), l,
                    name + ".diff_dst_iter");
            CpuValue diffDstIterC = iter(b, stateGrads ? b.plain(b.in(n, LstmBackward.GC_T), name) : b.zeros(name + ".gc_T", state), l,
                    name + ".diff_dst_iter_c");
            MemorySegment pd = b.handles.ownPd(GradientLowering.create("dnnl_lstm_backward_primitive_desc_create(" + name + ")",
                    out -> dnnl_lstm_backward_primitive_desc_create(out, b.engine, dnnl_backward(), dnnl_unidirectional_left2right(),
                            src.md, srcIter.md, srcIterC.md, b.anyMd(l.wLayer), b.anyMd(l.wIter), MemorySegment.NULL,
                            MemorySegment.NULL, biasMd, dst.md, dstIter.md, dstIterC.md, diffSrc.md, diffSrcIter.md,
                            diffSrcIterC.md, b.anyMd(l.wLayer), b.anyMd(l.wIter), MemorySegment.NULL, MemorySegment.NULL,
                            biasMd, diffDst.md, diffDstIter.md, diffDstIterC.md, dnnl_rnn_flags_diff_weights_overwrite(), fwd,
                            attr.get())));
            CpuValue dwLayer = b.activation(name + ".gw_ih.dnnl", l.wLayer,
                    b.cloneMd(dnnl_primitive_desc_query_md(pd, dnnl_query_diff_weights_md(), 0)));
            CpuValue dwIter = b.activation(name + ".gw_hh.dnnl", l.wIter,
                    b.cloneMd(dnnl_primitive_desc_query_md(pd, dnnl_query_diff_weights_md(), 1)));
            CpuValue dBias = b.activation(name + ".gb", Shape.of(4 * hidden), b.plainMd(Shape.of(4 * hidden)));
            CpuValue dBiasLdgo = b.view(dBias, name + ".diff_bias", l.bias, biasMd, 0);
            b.primitive(name, pd, List.of(new CpuStep.Arg(DNNL_ARG_SRC_LAYER(), src),
                    new CpuStep.Arg(DNNL_ARG_SRC_ITER(), srcIter), new CpuStep.Arg(DNNL_ARG_SRC_ITER_C(), srcIterC),
                    new CpuStep.Arg(DNNL_ARG_WEIGHTS_LAYER(), weight(b, n, Lstm.W_IH, l.wLayer, pd, 0, name)),
                    new CpuStep.Arg(DNNL_ARG_WEIGHTS_ITER(), weight(b, n, Lstm.W_HH, l.wIter, pd, 1, name)),
                    new CpuStep.Arg(DNNL_ARG_BIAS(), bias), new CpuStep.Arg(DNNL_ARG_DST_LAYER(), dst),
                    new CpuStep.Arg(DNNL_ARG_DST_ITER(), dstIter), new CpuStep.Arg(DNNL_ARG_DST_ITER_C(), dstIterC),
                    new CpuStep.Arg(DNNL_ARG_DIFF_DST_LAYER(), diffDst), new CpuStep.Arg(DNNL_ARG_DIFF_DST_ITER(), diffDstIter),
                    new CpuStep.Arg(DNNL_ARG_DIFF_DST_ITER_C(), diffDstIterC), new CpuStep.Arg(DNNL_ARG_WORKSPACE(), workspace),
                    new CpuStep.Arg(DNNL_ARG_DIFF_SRC_LAYER(), diffSrc), new CpuStep.Arg(DNNL_ARG_DIFF_SRC_ITER(), diffSrcIter),
                    new CpuStep.Arg(DNNL_ARG_DIFF_SRC_ITER_C(), diffSrcIterC),
                    new CpuStep.Arg(DNNL_ARG_DIFF_WEIGHTS_LAYER(), dwLayer),
                    new CpuStep.Arg(DNNL_ARG_DIFF_WEIGHTS_ITER(), dwIter), new CpuStep.Arg(DNNL_ARG_DIFF_BIAS(), dBiasLdgo)),
                    List.of(diffSrc, diffSrcIter, diffSrcIterC, dwLayer, dwIter, dBiasLdgo));
            b.define(n.outputs().get(LstmBackward.GX), gx);
            b.define(n.outputs().get(LstmBackward.GH0), gh0);
            b.define(n.outputs().get(LstmBackward.GC0), gc0);
            b.define(n.outputs().get(LstmBackward.GW_IH), torchWeight(b, dwLayer, l.wLayer, b.shape(wih), name + ".gw_ih"));
            b.define(n.outputs().get(LstmBackward.GW_HH), torchWeight(b, dwIter, l.wIter, b.shape(whh), name + ".gw_hh"));
            b.define(n.outputs().get(LstmBackward.GB_IH), dBias);
            b.define(n.outputs().get(LstmBackward.GB_HH), dBias);
        }
    }

    private static String key(Value w) {
        return w.kind() == Value.Kind.PARAMETER ? w.name() : null;
    }

    private static CpuValue sequence(CpuGraphCompiler b, CpuValue plain, Shape tnc, String name) {
        return b.view(plain, name, tnc, b.tagMd(tnc, dnnl_ntc()), 0);
    }

    private static CpuValue iter(CpuGraphCompiler b, CpuValue plain, Layout l, String name) {
        return b.view(plain, name, l.iter, b.tagMd(l.iter, dnnl_ldnc()), 0);
    }

    /** Input {@code i} as the weight {@code index} of {@code pd} wants it. */
    private static CpuValue weight(CpuGraphCompiler b, Node n, int i, Shape dims, MemorySegment pd, int index, String name) {
        return LstmLowering.weight(b, n.input(i), dims, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md(), index), name);
    }

    /** A weight gradient in oneDNN's layout reordered to ldgoi, which is torch's [4H, K] row-major. */
    private static CpuValue torchWeight(CpuGraphCompiler b, CpuValue grad, Shape dims, Shape torch, String name) {
        CpuValue ldgoi = b.toLayout(grad, b.tagMd(dims, dnnl_ldgoi()), name);
        return b.view(ldgoi, name, torch, b.plainMd(torch), 0);
    }
}
