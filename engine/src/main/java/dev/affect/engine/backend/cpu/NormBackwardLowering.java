package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.engine.graph.BatchNormTrainingBackward;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Op;
import dev.affect.engine.graph.SoftmaxBackward;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Gradients of the normalisations: oneDNN's batch normalization backward (gx, gw, gb in one
 * primitive, from the batch mean and biased variance the forward returned) and softmax backward.
 * The gradients take the layout of the forward data, so gy is reordered only where it differs.
 */
final class NormBackwardLowering {
    private NormBackwardLowering() {
    }

    static void batchNorm(CpuGraphCompiler b, Node n, BatchNormTrainingBackward op) {
        String name = n.name();
        CpuValue x = b.in(n, BatchNormTrainingBackward.X);
        CpuValue gy = b.toLayout(b.in(n, BatchNormTrainingBackward.GY), x.md, name);
        Shape c = Shape.of(x.shape.dim(1));
        int flags = dnnl_use_scale() | dnnl_use_shift();
        try (Attr attr = GradientLowering.attr(b, false)) {
            MemorySegment hint = GradientLowering.create("dnnl_batch_normalization_forward_primitive_desc_create(" + name + ".hint)",
                    out -> dnnl_batch_normalization_forward_primitive_desc_create(out, b.engine, dnnl_forward_training(), x.md,
                            x.md, op.eps(), flags, attr.get()));
            MemorySegment pd = b.handles.ownPd(GradientLowering.withHint(hint, h -> GradientLowering.create(
                    "dnnl_batch_normalization_backward_primitive_desc_create(" + name + ")",
                    out -> dnnl_batch_normalization_backward_primitive_desc_create(out, b.engine, dnnl_backward(), x.md, x.md,
                            x.md, op.eps(), flags, h, attr.get()))));
            CpuValue gx = GradientLowering.output(b, pd, dnnl_query_diff_src_md(), name, x.shape);
            CpuValue gw = b.activation(name + ".gw", c, b.plainMd(c));
            CpuValue gb = b.activation(name + ".gb", c, b.plainMd(c));
            b.primitive(name, pd, List.of(new CpuStep.Arg(DNNL_ARG_SRC(), x), new CpuStep.Arg(DNNL_ARG_DIFF_DST(), gy),
                    new CpuStep.Arg(DNNL_ARG_MEAN(), b.in(n, BatchNormTrainingBackward.MEAN)),
                    new CpuStep.Arg(DNNL_ARG_VARIANCE(), b.in(n, BatchNormTrainingBackward.VAR)),
                    new CpuStep.Arg(DNNL_ARG_SCALE(), b.in(n, BatchNormTrainingBackward.WEIGHT)),
                    new CpuStep.Arg(DNNL_ARG_DIFF_SRC(), gx), new CpuStep.Arg(DNNL_ARG_DIFF_SCALE(), gw),
                    new CpuStep.Arg(DNNL_ARG_DIFF_SHIFT(), gb)), List.of(gx, gw, gb));
            b.define(n.outputs().get(0), gx);
            b.define(n.outputs().get(1), gw);
            b.define(n.outputs().get(2), gb);
        }
    }

    static void softmax(CpuGraphCompiler b, Node n, SoftmaxBackward op) {
        String name = n.name();
        CpuValue y = b.in(n, SoftmaxBackward.Y);
        CpuValue gy = b.toLayout(b.in(n, SoftmaxBackward.GY), y.md, name);
        int axis = Op.axis(op.axis(), y.shape.rank());
        try (Attr attr = GradientLowering.attr(b, false)) {
            MemorySegment hint = GradientLowering.create("dnnl_softmax_forward_primitive_desc_create(" + name + ".hint)",
                    out -> dnnl_softmax_forward_primitive_desc_create(out, b.engine, dnnl_forward_training(),
                            dnnl_softmax_accurate(), y.md, y.md, axis, attr.get()));
            MemorySegment pd = b.handles.ownPd(GradientLowering.withHint(hint, h -> GradientLowering.create(
                    "dnnl_softmax_backward_primitive_desc_create(" + name + ")",
                    out -> dnnl_softmax_backward_primitive_desc_create(out, b.engine, dnnl_softmax_accurate(), y.md, y.md, y.md,
                            axis, h, attr.get()))));
            CpuValue gx = GradientLowering.output(b, pd, dnnl_query_diff_src_md(), name, y.shape);
            b.primitive(name, pd, List.of(new CpuStep.Arg(DNNL_ARG_DST(), y), new CpuStep.Arg(DNNL_ARG_DIFF_DST(), gy),
                    new CpuStep.Arg(DNNL_ARG_DIFF_SRC(), gx)), List.of(gx));
            b.define(n.output(), gx);
        }
    }
}
