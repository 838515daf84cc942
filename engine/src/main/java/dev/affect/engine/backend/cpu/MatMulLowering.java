package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.MatMul;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Matrix products. Linear is oneDNN's inner product over the input flattened to [rows, K] (a free
 * view of plain data), with its weight in the layout the primitive picks; MatMul is oneDNN's
 * matmul with transposes expressed as swapped strides and batch axes broadcast by padding both
 * operands to one rank with leading 1s.
 */
final class MatMulLowering {
    private MatMulLowering() {
    }

    static void linear(CpuGraphCompiler b, Node n, Linear l) {
        CpuValue x = b.in(n, 0);
        Value w = n.input(1);
        Shape ws = b.shape(w);
        Shape out = b.shape(n.output());
        int k = x.shape.dim(-1);
        int rows = (int) (x.shape.numel() / k);
        CpuValue x2 = b.reshaped(x, Shape.of(rows, k), n.name() + ".rows");
        x2 = b.plain(x2, n.name());
        Shape y2 = Shape.of(rows, ws.dim(0));
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            if (b.bf16) {
                attr.bf16Math();
            }
            MemorySegment biasMd = l.bias() ? b.plainMd(Shape.of(ws.dim(0))) : MemorySegment.NULL;
            CpuValue src = x2;
            MemorySegment pd = b.preferCachedWeights(new String[] {w.kind() == Value.Kind.PARAMETER ? w.name() : null},
                    new int[] {0}, new MemorySegment[] {b.anyMd(ws)}, new MemorySegment[] {b.plainMd(ws)}, mds -> {
                        MemorySegment pdOut = a.allocate(ValueLayout.ADDRESS);
                        Dnnl.check(dnnl_inner_product_forward_primitive_desc_create(pdOut, b.engine, dnnl_forward_inference(),
                                src.md, mds[0], biasMd, b.plainMd(y2), attr.get()),
                                "dnnl_inner_product_forward_primitive_desc_create(" + n.name() + ")");
                        return pdOut.get(ValueLayout.ADDRESS, 0);
                    });
            List<CpuStep.Arg> args = new ArrayList<>();
            args.add(new CpuStep.Arg(DNNL_ARG_SRC(), b.toLayout(x2, CpuGraphCompiler.query(pd, dnnl_query_src_md()), n.name())));
            args.add(new CpuStep.Arg(DNNL_ARG_WEIGHTS(), w.kind() == Value.Kind.PARAMETER
                    ? b.weight(w, ws, b.plainMd(ws), CpuGraphCompiler.query(pd, dnnl_query_weights_md()))
                    : b.toLayout(b.in(n, 1), CpuGraphCompiler.query(pd, dnnl_query_weights_md()), n.name())));
            if (l.bias()) {
                args.add(new CpuStep.Arg(DNNL_ARG_BIAS(), b.in(n, 2)));
            }
            CpuValue y = b.finish(pd, attr, args, n.name(), y2);
            b.define(n.output(), b.reshaped(y, out, n.name() + ".view"));
        }
    }

    static void matmul(CpuGraphCompiler b, Node n, MatMul m) {
        Shape out = b.shape(n.output());
        int rank = out.rank();
        CpuValue a = operand(b, b.in(n, 0), rank, m.transA(), n.name() + ".a");
        CpuValue w = operand(b, b.in(n, 1), rank, m.transB(), n.name() + ".b");
        try (Arena ar = Arena.ofConfined(); Attr attr = new Attr()) {
            if (b.bf16) {
                attr.bf16Math();
            }
            MemorySegment pdOut = ar.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_matmul_primitive_desc_create(pdOut, b.engine, a.md, w.md, MemorySegment.NULL, b.plainMd(out),
                    attr.get()), "dnnl_matmul_primitive_desc_create(" + n.name() + ")");
            MemorySegment pd = b.pd(pdOut);
            b.define(n.output(), b.finish(pd, attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), a),
                    new CpuStep.Arg(DNNL_ARG_WEIGHTS(), w)), n.name(), out));
        }
    }

    /** A plain operand padded to {@code rank} and, when transposed, described with its last two strides swapped. */
    private static CpuValue operand(CpuGraphCompiler b, CpuValue x, int rank, boolean transpose, String name) {
        CpuValue p = b.padRank(b.plain(x, name), rank, name);
        if (!transpose) {
            return p;
        }
        int[] d = p.shape.dims();
        long[] st = CpuGraphCompiler.plainStrides(p.shape);
        swap(d, st, rank - 2, rank - 1);
        Shape logical = Shape.of(d);
        return b.view(p, name + ".T", logical, b.stridedMd(logical, st), 0);
    }

    private static void swap(int[] d, long[] st, int i, int j) {
        int t = d[i];
        d[i] = d[j];
        d[j] = t;
        long s = st[i];
        st[i] = st[j];
        st[j] = s;
    }
}
