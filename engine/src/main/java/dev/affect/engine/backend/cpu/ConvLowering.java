package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Convolutions: oneDNN's convolution with layouts of its choosing, bias, and fused epilogues as post-ops. */
final class ConvLowering {
    private ConvLowering() {
    }

    static void conv(CpuGraphCompiler b, Node n, Conv2d c) {
        b.define(n.output(), lower(b, n, c.strideH(), c.strideW(), c.padH(), c.padW(), c.groups(),
                c.bias() ? n.input(2) : null, null, -1, -1));
    }

    static void fused(CpuGraphCompiler b, Node n, FusedConv2d f) {
        b.define(n.output(), lower(b, n, f.strideH(), f.strideW(), f.padH(), f.padW(), f.groups(), n.input(2),
                f.isPrelu() ? null : f.pointwise(), f.slopeInput(), f.residualInput()));
    }

    private static CpuValue lower(CpuGraphCompiler b, Node n, int strideH, int strideW, int padH, int padW, int groups,
                                  Value bias, Activation act, int slopeInput, int residualInput) {
        CpuValue x = b.in(n, 0);
        Value w = n.input(1);
        Shape ws = b.shape(w);
        Shape ys = b.shape(n.output());
        String name = n.name();
        Shape userWs = groups == 1 ? ws : Shape.of(groups, ws.dim(0) / groups, ws.dim(1), ws.dim(2), ws.dim(3));
        int padBottom = (ys.dim(2) - 1) * strideH + ws.dim(2) - x.shape.dim(2) - padH;
        int padRight = (ys.dim(3) - 1) * strideW + ws.dim(3) - x.shape.dim(3) - padW;
        CpuValue slopes = slopeInput >= 0 ? b.parameterOrView(n, slopeInput, Shape.of(1, ys.dim(1), 1, 1)) : null;
        CpuValue residual = residualInput >= 0 ? b.in(n, residualInput) : null;
        if (residual != null) {
            // the residual must arrive in the layout the convolution writes, or oneDNN falls back to ref
            try (Attr probe = attr(b, act, slopes, null)) {
                MemorySegment pd = create(b, x, b.anyMd(userWs), bias, ys, strideH, strideW, padH, padW, padBottom, padRight, probe, name);
                try {
                    residual = b.toLayout(residual, CpuGraphCompiler.query(pd, dnnl_query_dst_md()), name + ".residual");
                } finally {
                    Dnnl.check(dnnl_primitive_desc_destroy(pd), "dnnl_primitive_desc_destroy");
                }
            }
        }
        try (Attr attr = attr(b, act, slopes, residual)) {
            MemorySegment pd = b.preferCachedWeights(new String[] {w.kind() == Value.Kind.PARAMETER ? w.name() : null},
                    new int[] {0}, new MemorySegment[] {b.anyMd(userWs)}, new MemorySegment[] {b.plainMd(userWs)}, mds -> create(b, x, mds[0], bias, ys, strideH,
                            strideW, padH, padW, padBottom, padRight, attr, name));
            List<CpuStep.Arg> args = new ArrayList<>();
            args.add(new CpuStep.Arg(DNNL_ARG_SRC(), b.toLayout(x, CpuGraphCompiler.query(pd, dnnl_query_src_md()), name)));
            args.add(new CpuStep.Arg(DNNL_ARG_WEIGHTS(), b.weight(w, userWs, b.plainMd(userWs),
                    CpuGraphCompiler.query(pd, dnnl_query_weights_md()))));
            if (bias != null) {
                args.add(new CpuStep.Arg(DNNL_ARG_BIAS(), b.value(bias)));
            }
            return b.finish(pd, attr, args, name, ys);
        }
    }

    private static Attr attr(CpuGraphCompiler b, Activation act, CpuValue slopes, CpuValue residual) {
        Attr attr = new Attr();
        try {
            if (b.bf16) {
                attr.bf16Math();
            }
            if (act != null) {
                attr.eltwise(act);
            }
            if (slopes != null) {
                attr.prelu(slopes);
            }
            if (residual != null) {
                attr.binary(Binary.Kind.ADD, residual);
            }
            return attr;
        } catch (RuntimeException e) {
            attr.close();
            throw e;
        }
    }

    /** A convolution primitive descriptor the caller owns, with layouts left to oneDNN. */
    private static MemorySegment create(CpuGraphCompiler b, CpuValue x, MemorySegment weightsMd, Value bias, Shape ys, int strideH,
                                        int strideW, int padH, int padW, int padBottom, int padRight, Attr attr, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment biasMd = bias == null ? MemorySegment.NULL : b.plainMd(b.shape(bias));
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_convolution_forward_primitive_desc_create(out, b.engine, dnnl_forward_inference(),
                    dnnl_convolution_direct(), b.anyMd(x.shape), weightsMd, biasMd, b.anyMd(ys),
                    DnnlHandles.dims(a, strideH, strideW), DnnlHandles.dims(a, 0, 0),
                    DnnlHandles.dims(a, padH, padW), DnnlHandles.dims(a, Math.max(0, padBottom), Math.max(0, padRight)),
                    attr.get()), "dnnl_convolution_forward_primitive_desc_create(" + name + ")");
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }
}
