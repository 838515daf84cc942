package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/** Pointwise ops and reductions: eltwise, PReLU, and Mean (as pooling or reduction). */
final class EltwiseLowering {
    private EltwiseLowering() {
    }

    static void activation(CpuGraphCompiler b, Node n, Activation act) {
        CpuValue x = b.in(n, 0);
        Attr.Eltwise e = Attr.Eltwise.of(act);
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_eltwise_forward_primitive_desc_create(out, b.engine, dnnl_forward_inference(), e.alg(), x.md, x.md,
                    e.alpha(), e.beta(), attr.get()), "dnnl_eltwise_forward_primitive_desc_create(" + n.name() + ")");
            MemorySegment pd = b.pd(out);
            b.define(n.output(), b.finish(pd, attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), x)), n.name(), x.shape));
        }
    }

    static void prelu(CpuGraphCompiler b, Node n) {
        CpuValue x = b.in(n, 0);
        int[] d = new int[x.shape.rank()];
        Arrays.fill(d, 1);
        d[1] = x.shape.dim(1);
        CpuValue slopes = b.parameterOrView(n, 1, Shape.of(d));
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_prelu_forward_primitive_desc_create(out, b.engine, dnnl_forward_inference(), x.md,
                    slopes.md, x.md, attr.get()), "dnnl_prelu_forward_primitive_desc_create(" + n.name() + ")");
            MemorySegment pd = b.pd(out);
            b.define(n.output(), b.finish(pd, attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), x),
                    new CpuStep.Arg(DNNL_ARG_WEIGHTS(), slopes)), n.name(), x.shape));
        }
    }

    /**
     * Mean over one axis. Over H or W of a 4-D tensor it is an average pooling with a 1xW or Hx1
     * window, which has jit kernels for every layout; oneDNN's reduction has only a reference one
     * for these axes. Other axes use the reduction primitive.
     */
    static void mean(CpuGraphCompiler b, Node n, Mean m) {
        CpuValue x = b.in(n, 0);
        Shape out = b.shape(n.output());
        int axis = Op.axis(m.axis(), x.shape.rank());
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment pdOut = a.allocate(ValueLayout.ADDRESS);
            if (x.shape.rank() == 4 && axis >= 2) {
                long kh = x.shape.dim(2) / out.dim(2);
                long kw = x.shape.dim(3) / out.dim(3);
                Dnnl.check(dnnl_pooling_forward_primitive_desc_create(pdOut, b.engine, dnnl_forward_inference(),
                        dnnl_pooling_avg_include_padding(), x.md, b.anyMd(out), DnnlHandles.dims(a, kh, kw),
                        DnnlHandles.dims(a, kh, kw), DnnlHandles.dims(a, 0, 0), DnnlHandles.dims(a, 0, 0),
                        DnnlHandles.dims(a, 0, 0), attr.get()), "dnnl_pooling_forward_primitive_desc_create(" + n.name() + ")");
            } else {
                Dnnl.check(dnnl_reduction_primitive_desc_create(pdOut, b.engine, dnnl_reduction_mean(), x.md, b.anyMd(out),
                        0f, 0f, attr.get()), "dnnl_reduction_primitive_desc_create(" + n.name() + ")");
            }
            MemorySegment pd = b.pd(pdOut);
            b.define(n.output(), b.finish(pd, attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), x)), n.name(), out));
        }
    }
}
