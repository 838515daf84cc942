package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/** Pointwise ops and reductions: eltwise, PReLU, and Mean (as pooling, reduction, or a Java pass where those have only ref). */
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
        if (x.shape.dim(axis) == 1) {
            b.define(n.output(), x); // the mean of one value is that value (oneDNN rejects a reduction that reduces nothing)
            return;
        }
        try (Attr attr = new Attr()) {
            MemorySegment pd = create(b, x, out, axis, attr, n.name());
            if (CpuGraphCompiler.isRef(pd)) {
                // oneDNN reduces this axis (channels, batch) only with its reference loop: a Java pass over plain data
                CpuGraphCompiler.destroyPd(pd);
                CpuValue p = b.plain(x, n.name());
                CpuValue y = b.kernelOutput(n.name(), out, DType.F32);
                b.kernel(n.name(), "mean over axis " + axis, new MeanKernel(p, y, axis), List.of(p), List.of(y));
                b.define(n.output(), y);
                return;
            }
            b.define(n.output(), b.finish(b.handles.ownPd(pd), attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), x)), n.name(), out));
        }
    }

    private static MemorySegment create(CpuGraphCompiler b, CpuValue x, Shape out, int axis, Attr attr, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pdOut = a.allocate(ValueLayout.ADDRESS);
            if (x.shape.rank() == 4 && axis >= 2) {
                long kh = x.shape.dim(2) / out.dim(2);
                long kw = x.shape.dim(3) / out.dim(3);
                Dnnl.check(dnnl_pooling_forward_primitive_desc_create(pdOut, b.engine, dnnl_forward_inference(),
                        dnnl_pooling_avg_include_padding(), x.md, b.anyMd(out), DnnlHandles.dims(a, kh, kw),
                        DnnlHandles.dims(a, kh, kw), DnnlHandles.dims(a, 0, 0), DnnlHandles.dims(a, 0, 0),
                        DnnlHandles.dims(a, 0, 0), attr.get()), "dnnl_pooling_forward_primitive_desc_create(" + name + ")");
            } else {
                Dnnl.check(dnnl_reduction_primitive_desc_create(pdOut, b.engine, dnnl_reduction_mean(), x.md, b.anyMd(out),
                        0f, 0f, attr.get()), "dnnl_reduction_primitive_desc_create(" + name + ")");
            }
            return pdOut.get(ValueLayout.ADDRESS, 0);
        }
    }
}
