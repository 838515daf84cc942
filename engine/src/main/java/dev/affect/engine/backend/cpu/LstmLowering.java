package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * One LSTM layer as oneDNN's vanilla LSTM (forward inference, one layer, left to right). The data
 * needs no copies: x [N, T, D] is src_layer in ntc, h0/c0 [N, H] are src_iter in ldnc with L = D = 1,
 * y [N, T, H] is dst_layer in ntc. PyTorch's weights [4H, D] and [4H, H] are ldgoi, and its gate
 * order i, f, g, o is oneDNN's i, f, c~, o; they are reordered once into the layout the primitive
 * picks. oneDNN has one bias, so b_ih + b_hh is a derived weight in the prepared model's cache.
 */
final class LstmLowering {
    private LstmLowering() {
    }

    static void lstm(CpuGraphCompiler b, Node n) {
        String name = n.name();
        CpuValue x = b.plain(b.in(n, Lstm.X), name);
        CpuValue h0 = b.plain(b.in(n, Lstm.H0), name);
        CpuValue c0 = b.plain(b.in(n, Lstm.C0), name);
        int batch = x.shape.dim(0);
        int steps = x.shape.dim(1);
        int in = x.shape.dim(2);
        int hidden = b.shape(n.input(Lstm.W_IH)).dim(0) / 4;
        Shape layer = Shape.of(steps, batch, in);
        Shape iter = Shape.of(1, 1, batch, hidden);
        Shape outLayer = Shape.of(steps, batch, hidden);
        Shape wLayer = Shape.of(1, 1, in, 4, hidden);
        Shape wIter = Shape.of(1, 1, hidden, 4, hidden);
        Shape bias = Shape.of(1, 1, 4, hidden);
        CpuValue src = b.view(x, name + ".src_layer", layer, b.tagMd(layer, dnnl_ntc()), 0);
        CpuValue srcIter = b.view(h0, name + ".src_iter", iter, b.tagMd(iter, dnnl_ldnc()), 0);
        CpuValue srcIterC = b.view(c0, name + ".src_iter_c", iter, b.tagMd(iter, dnnl_ldnc()), 0);
        Shape yShape = b.shape(n.outputs().get(0));
        Shape state = Shape.of(batch, hidden);
        CpuValue y = b.activation(n.outputs().get(0).name(), yShape, b.plainMd(yShape));
        CpuValue hT = b.activation(n.outputs().get(1).name(), state, b.plainMd(state));
        CpuValue cT = b.activation(n.outputs().get(2).name(), state, b.plainMd(state));
        CpuValue dst = b.view(y, name + ".dst_layer", outLayer, b.tagMd(outLayer, dnnl_ntc()), 0);
        CpuValue dstIter = b.view(hT, name + ".dst_iter", iter, b.tagMd(iter, dnnl_ldnc()), 0);
        CpuValue dstIterC = b.view(cT, name + ".dst_iter_c", iter, b.tagMd(iter, dnnl_ldnc()), 0);
        MemorySegment biasMd = b.tagMd(bias, dnnl_ldgo());
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            Value wih = n.input(Lstm.W_IH);
            Value whh = n.input(Lstm.W_HH);
            MemorySegment pd = b.preferCachedWeights(
                    new String[] {wih.kind() == Value.Kind.PARAMETER ? wih.name() : null, whh.kind() == Value.Kind.PARAMETER ? whh.name() : null},
                    new int[] {0, 1}, new MemorySegment[] {b.anyMd(wLayer), b.anyMd(wIter)},
                    new MemorySegment[] {b.tagMd(wLayer, dnnl_ldgoi()), b.tagMd(wIter, dnnl_ldgoi())}, mds -> {
                        MemorySegment out = a.allocate(ValueLayout.ADDRESS);
                        Dnnl.check(dnnl_lstm_forward_primitive_desc_create(out, b.engine, dnnl_forward_inference(),
                                dnnl_unidirectional_left2right(), src.md, srcIter.md, srcIterC.md, mds[0], mds[1],
                                MemorySegment.NULL, MemorySegment.NULL, biasMd, dst.md, dstIter.md, dstIterC.md,
                                dnnl_rnn_flags_undef(), attr.get()), "dnnl_lstm_forward_primitive_desc_create(" + name + ")");
                        return out.get(ValueLayout.ADDRESS, 0);
                    });
            MemorySegment wLayerMd = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md(), 0);
            MemorySegment wIterMd = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md(), 1);
            List<CpuStep.Arg> args = new ArrayList<>();
            args.add(new CpuStep.Arg(DNNL_ARG_SRC_LAYER(), src));
            args.add(new CpuStep.Arg(DNNL_ARG_SRC_ITER(), srcIter));
            args.add(new CpuStep.Arg(DNNL_ARG_SRC_ITER_C(), srcIterC));
            args.add(new CpuStep.Arg(DNNL_ARG_WEIGHTS_LAYER(), weight(b, n.input(Lstm.W_IH), wLayer, wLayerMd, name)));
            args.add(new CpuStep.Arg(DNNL_ARG_WEIGHTS_ITER(), weight(b, n.input(Lstm.W_HH), wIter, wIterMd, name)));
            args.add(new CpuStep.Arg(DNNL_ARG_BIAS(), bias(b, n, bias, biasMd)));
            args.add(new CpuStep.Arg(DNNL_ARG_DST_LAYER(), dst));
            args.add(new CpuStep.Arg(DNNL_ARG_DST_ITER(), dstIter));
            args.add(new CpuStep.Arg(DNNL_ARG_DST_ITER_C(), dstIterC));
            MemorySegment ws = CpuGraphCompiler.query(pd, dnnl_query_workspace_md());
            List<CpuValue> writes = new ArrayList<>(List.of(dst, dstIter, dstIterC));
            if (!ws.equals(MemorySegment.NULL) && DnnlHandles.size(ws) > 0) {
                CpuValue workspace = b.activation(name + ".workspace", Shape.of((int) (DnnlHandles.size(ws) / 4)), b.cloneMd(ws));
                args.add(new CpuStep.Arg(DNNL_ARG_WORKSPACE(), workspace));
                writes.add(workspace);
            }
            b.primitive(name, pd, args, writes);
        }
        b.define(n.outputs().get(0), y);
        b.define(n.outputs().get(1), hT);
        b.define(n.outputs().get(2), cT);
    }

    /** A weight [4H, K] as ldgoi [1, 1, K, 4, H], in the layout the primitive picked. */
    static CpuValue weight(CpuGraphCompiler b, Value w, Shape dims, MemorySegment wanted, String name) {
        MemorySegment user = b.tagMd(dims, dnnl_ldgoi());
        if (w.kind() == Value.Kind.PARAMETER) {
            return b.weight(w, dims, user, wanted);
        }
        CpuValue plain = b.plain(b.value(w), name);
        return b.toLayout(b.view(plain, name + "." + w.name(), dims, user, 0), wanted, name);
    }

    /** b_ih + b_hh as [1, 1, 4, H] ldgo (the same bytes as a [4H] vector in gate order). */
    static CpuValue bias(CpuGraphCompiler b, Node n, Shape dims, MemorySegment md) {
        Value bih = n.input(Lstm.B_IH);
        Value bhh = n.input(Lstm.B_HH);
        if (bih.kind() == Value.Kind.PARAMETER && bhh.kind() == Value.Kind.PARAMETER) {
            return b.derivedWeight(bih.name() + "+" + bhh.name(), List.of(bih.name(), bhh.name()), LstmLowering::sum,
                    dims, md, md);
        }
        throw new UnsupportedOperationException("cpu: LSTM biases must be parameters, got " + bih + " and " + bhh);
    }

    private static Tensor sum(List<Tensor> in) {
        float[] a = in.get(0).toFloatArray();
        float[] c = in.get(1).toFloatArray();
        for (int i = 0; i < a.length; i++) {
            a[i] += c[i];
        }
        return Tensor.of(a, a.length);
    }
}
