package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.LayerNorm;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.Softmax;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Normalisations: batch norm (inference and training), layer norm, softmax, each a oneDNN primitive. */
final class NormLowering {
    private NormLowering() {
    }

    static void batchNorm(CpuGraphCompiler b, Node n, BatchNorm bn) {
        CpuValue x = b.in(n, 0);
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            int flags = dnnl_use_global_stats() | dnnl_use_scale() | dnnl_use_shift();
            Dnnl.check(dnnl_batch_normalization_forward_primitive_desc_create(out, b.engine, dnnl_forward_inference(),
                    x.md, x.md, bn.eps(), flags, attr.get()), "dnnl_batch_normalization_forward_primitive_desc_create(" + n.name() + ")");
            MemorySegment pd = b.pd(out);
            List<CpuStep.Arg> args = new ArrayList<>();
            args.add(new CpuStep.Arg(DNNL_ARG_SRC(), x));
            args.add(new CpuStep.Arg(DNNL_ARG_MEAN(), b.in(n, 1)));
            args.add(new CpuStep.Arg(DNNL_ARG_VARIANCE(), b.in(n, 2)));
            args.add(new CpuStep.Arg(DNNL_ARG_SCALE(), b.in(n, 3)));
            args.add(new CpuStep.Arg(DNNL_ARG_SHIFT(), b.in(n, 4)));
            b.define(n.output(), b.finish(pd, attr, args, n.name(), x.shape));
        }
    }

    /**
     * oneDNN's forward_training batch norm gives y with the batch's mean and biased variance; a Java
     * kernel then makes the running-statistics update over [C] (too small to deserve a primitive).
     */
    static void batchNormTraining(CpuGraphCompiler b, Node n, BatchNormTraining bn) {
        CpuValue x = b.in(n, 0);
        Shape c = Shape.of(x.shape.dim(1));
        String name = n.name();
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            int flags = dnnl_use_scale() | dnnl_use_shift();
            Dnnl.check(dnnl_batch_normalization_forward_primitive_desc_create(out, b.engine, dnnl_forward_training(),
                    x.md, x.md, bn.eps(), flags, attr.get()), "dnnl_batch_normalization_forward_primitive_desc_create(" + name + ")");
            MemorySegment pd = b.pd(out);
            CpuValue y = b.activation(name, x.shape, b.cloneMd(CpuGraphCompiler.query(pd, dnnl_query_dst_md())));
            CpuValue mean = b.activation(n.outputs().get(BatchNormTraining.BATCH_MEAN).name(), c, b.plainMd(c));
            CpuValue var = b.activation(n.outputs().get(BatchNormTraining.BATCH_VAR).name(), c, b.plainMd(c));
            List<CpuStep.Arg> args = new ArrayList<>();
            args.add(new CpuStep.Arg(DNNL_ARG_SRC(), x));
            args.add(new CpuStep.Arg(DNNL_ARG_SCALE(), b.in(n, 3)));
            args.add(new CpuStep.Arg(DNNL_ARG_SHIFT(), b.in(n, 4)));
            args.add(new CpuStep.Arg(DNNL_ARG_DST(), y));
            args.add(new CpuStep.Arg(DNNL_ARG_MEAN(), mean));
            args.add(new CpuStep.Arg(DNNL_ARG_VARIANCE(), var));
            MemorySegment ws = CpuGraphCompiler.query(pd, dnnl_query_workspace_md());
            if (!ws.equals(MemorySegment.NULL) && DnnlHandles.size(ws) > 0) {
                CpuValue workspace = b.activation(name + ".workspace", x.shape, b.cloneMd(ws));
                args.add(new CpuStep.Arg(DNNL_ARG_WORKSPACE(), workspace));
                b.primitive(name, pd, args, List.of(y, mean, var, workspace));
            } else {
                b.primitive(name, pd, args, List.of(y, mean, var));
            }
            CpuValue rm = b.in(n, 1);
            CpuValue rv = b.in(n, 2);
            CpuValue rmOut = b.kernelOutput(n.outputs().get(BatchNormTraining.RUNNING_MEAN).name(), c, rm.dtype);
            CpuValue rvOut = b.kernelOutput(n.outputs().get(BatchNormTraining.RUNNING_VAR).name(), c, rv.dtype);
            long count = x.shape.numel() / x.shape.dim(1);
            b.kernel(name + ".running", "running-stats", new RunningStatsKernel(bn.momentum(), count, c.dim(0),
                    rm.index, rv.index, mean.index, var.index, rmOut.index, rvOut.index), List.of(rm, rv, mean, var), List.of(rmOut, rvOut));
            b.define(n.outputs().get(BatchNormTraining.Y), y);
            b.define(n.outputs().get(BatchNormTraining.RUNNING_MEAN), rmOut);
            b.define(n.outputs().get(BatchNormTraining.RUNNING_VAR), rvOut);
            b.define(n.outputs().get(BatchNormTraining.BATCH_MEAN), mean);
            b.define(n.outputs().get(BatchNormTraining.BATCH_VAR), var);
        }
    }

    static void layerNorm(CpuGraphCompiler b, Node n, LayerNorm ln) {
        CpuValue x = b.plain(b.in(n, 0), n.name());
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            int flags = dnnl_use_scale() | dnnl_use_shift();
            Dnnl.check(dnnl_layer_normalization_forward_primitive_desc_create(out, b.engine, dnnl_forward_inference(),
                    x.md, x.md, MemorySegment.NULL, ln.eps(), flags, attr.get()),
                    "dnnl_layer_normalization_forward_primitive_desc_create(" + n.name() + ")");
            MemorySegment pd = b.pd(out);
            List<CpuStep.Arg> args = new ArrayList<>();
            args.add(new CpuStep.Arg(DNNL_ARG_SRC(), x));
            args.add(new CpuStep.Arg(DNNL_ARG_SCALE(), b.in(n, 1)));
            args.add(new CpuStep.Arg(DNNL_ARG_SHIFT(), b.in(n, 2)));
            b.define(n.output(), b.finish(pd, attr, args, n.name(), x.shape));
        }
    }

    static void softmax(CpuGraphCompiler b, Node n, Softmax s) {
        CpuValue x = b.in(n, 0);
        int axis = Op.axis(s.axis(), x.shape.rank());
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_softmax_forward_primitive_desc_create(out, b.engine, dnnl_forward_inference(),
                    dnnl_softmax_accurate(), x.md, x.md, axis, attr.get()),
                    "dnnl_softmax_forward_primitive_desc_create(" + n.name() + ")");
            MemorySegment pd = b.pd(out);
            b.define(n.output(), b.finish(pd, attr, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), x)), n.name(), x.shape));
        }
    }
}
