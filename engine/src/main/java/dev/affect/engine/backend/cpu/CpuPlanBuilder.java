package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.backend.Activation;
import dev.affect.engine.backend.BatchNorm;
import dev.affect.engine.backend.Binary;
import dev.affect.engine.backend.Conv2d;
import dev.affect.engine.backend.Flatten;
import dev.affect.engine.backend.Graph;
import dev.affect.engine.backend.InferenceFusion;
import dev.affect.engine.backend.Linear;
import dev.affect.engine.backend.Mean;
import dev.affect.engine.backend.Precision;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a fused graph to oneDNN primitives, following oneDNN's cnn_inference_f32 example:
 * descriptors with format_tag_any, the chosen layouts kept between layers, a reorder only where a
 * consumer wants another layout, weights reordered once here, never at execution.
 */
final class CpuPlanBuilder {
    private static final System.Logger LOG = System.getLogger(CpuPlanBuilder.class.getName());
    private final CpuBackend backend;
    private final boolean bf16;
    private final MemorySegment engine;
    private final MemorySegment stream;
    private final Arena arena;
    private final DnnlHandles handles;
    private final List<Step> steps = new ArrayList<>();
    private final List<PlanValue> values = new ArrayList<>();
    private final Map<Integer, PlanValue> byId = new HashMap<>();
    private Map<Integer, Shape> shapes;
    /** Broadcast products folded into their single consumer: value id -> operands so far. */
    private final Map<Integer, List<PlanValue>> pendingProducts = new HashMap<>();
    private java.util.Set<Integer> foldable = java.util.Set.of();

    CpuPlanBuilder(CpuBackend backend, MemorySegment engine, MemorySegment stream, Arena arena, DnnlHandles handles) {
        this.backend = backend;
        this.bf16 = backend.precision() == Precision.BF16;
        this.engine = engine;
        this.stream = stream;
        this.arena = arena;
        this.handles = handles;
    }

    CpuPlan build(Graph source, Map<String, Shape> inputShapes) {
        // folded weights are copied into the plan's arena, so they live only while compiling
        try (TensorScope folded = new TensorScope()) {
            return lowerAll(InferenceFusion.apply(source, inputShapes, folded), inputShapes);
        }
    }

    private CpuPlan lowerAll(Graph graph, Map<String, Shape> inputShapes) {
        shapes = graph.inferShapes(inputShapes);
        Map<String, PlanValue> inputs = new LinkedHashMap<>();
        for (Graph.Value in : graph.inputs()) {
            PlanValue v = newValue(in.name(), shapes.get(in.id()), handles.plainMd(shapes.get(in.id())), null);
            v.pinned = true;
            byId.put(in.id(), v);
            inputs.put(in.name(), v);
        }
        foldable = BroadcastChains.foldable(graph, shapes);
        for (Graph.Node n : graph.nodes()) {
            if (foldable.contains(n.output().id())) {
                pendingProducts.put(n.output().id(), operandsOf(n));
                continue;
            }
            byId.put(n.output().id(), lower(n));
        }
        Map<String, PlanValue> outputs = new LinkedHashMap<>();
        graph.outputs().forEach((name, gv) -> outputs.put(name, plainOutput(name, byId.get(gv.id()))));
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            for (Step.Binding b : s.bindings()) {
                if (b.value() != s.output()) {
                    b.value().lastRead = Math.max(b.value().lastRead, i);
                }
            }
        }
        long bytes = BufferPlanner.assign(values, steps.size(), arena);
        long scratch = 0;
        for (Step s : steps) {
            if (s.scratchpadMd() != null) {
                scratch = Math.max(scratch, DnnlHandles.size(s.scratchpadMd()));
            }
        }
        MemorySegment scratchpad = arena.allocate(Math.max(64, scratch), 64);
        return new CpuPlan(backend, steps, values, inputs, outputs, scratchpad, stream, engine, handles, arena, bytes + scratch);
    }

    private PlanValue newValue(String name, Shape shape, MemorySegment md, PlanValue aliasOf) {
        PlanValue v = new PlanValue(name, shape, md, handles.memory(engine, md, MemorySegment.NULL), aliasOf);
        values.add(v);
        return v;
    }

    /** A graph output the caller reads as a plain row-major tensor, reordered if its layout is blocked. */
    private PlanValue plainOutput(String name, PlanValue v) {
        MemorySegment plain = handles.plainMd(v.shape);
        if (DnnlHandles.sameLayout(plain, v.md)) {
            v.root().pinned = true;
            return v;
        }
        PlanValue out = reorder(v, plain, name + ".plain");
        out.pinned = true;
        return out;
    }

    /** The operands of a binary node, expanding an input that is a folded product. */
    private List<PlanValue> operandsOf(Graph.Node n) {
        List<PlanValue> ops = new ArrayList<>();
        for (Graph.Value v : n.inputs()) {
            List<PlanValue> pending = pendingProducts.get(v.id());
            if (pending != null) {
                ops.addAll(pending);
            } else {
                ops.add(byId.get(v.id()));
            }
        }
        return ops;
    }

    private PlanValue lower(Graph.Node n) {
        PlanValue x = byId.get(n.inputs().get(0).id());
        Shape ys = shapes.get(n.output().id());
        String name = n.output().name();
        return switch (n.op()) {
            case Conv2d c -> conv(c, x, c.residual() ? byId.get(n.inputs().get(1).id()) : null, ys, name);
            case BatchNorm b -> batchNorm(b, x, name);
            case Activation a -> activation(a, x, name);
            case Binary b -> BroadcastKernel.supports(ys, operandsOf(n).stream().map(v -> v.shape).toList())
                    && (pendingProducts.containsKey(n.inputs().get(0).id()) || !x.shape.equals(ys)
                        || !byId.get(n.inputs().get(1).id()).shape.equals(ys))
                    ? broadcastKernel(b, operandsOf(n), ys, name)
                    : binary(b, x, byId.get(n.inputs().get(1).id()), ys, name);
            case Mean m -> mean(x, ys, name);
            case Linear l -> linear(l, x, ys, name);
            case Flatten f -> flatten(x, ys, name);
        };
    }

    // ---- ops ----

    private PlanValue conv(Conv2d c, PlanValue x, PlanValue residual, Shape ys, String name) {
        Shape ws = c.weight().shape();
        Shape userWs = c.groups() == 1 ? ws
                : Shape.of(c.groups(), ws.dim(0) / c.groups(), ws.dim(1), ws.dim(2), ws.dim(3));
        int padBottom = (ys.dim(2) - 1) * c.strideH() + c.kernelH() - x.shape.dim(2) - c.padH();
        int padRight = (ys.dim(3) - 1) * c.strideW() + c.kernelW() - x.shape.dim(3) - c.padW();
        try (Arena a = Arena.ofConfined(); PostOps post = new PostOps()) {
            if (bf16) {
                post.bf16Math();
            }
            if (c.activation() != null) {
                post.activation(c.activation(), c.activation().slope());
            }
            if (residual != null) {
                post.binary(Binary.Kind.ADD, residual.md, residual);
            }
            MemorySegment biasMd = c.bias() == null ? MemorySegment.NULL : handles.plainMd(c.bias().shape());
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_convolution_forward_primitive_desc_create(out, engine, dnnl_forward_inference(),
                    dnnl_convolution_direct(), handles.anyMd(x.shape), handles.anyMd(userWs), biasMd, handles.anyMd(ys),
                    DnnlHandles.dims(a, c.strideH(), c.strideW()), DnnlHandles.dims(a, 0, 0),
                    DnnlHandles.dims(a, c.padH(), c.padW()), DnnlHandles.dims(a, Math.max(0, padBottom), Math.max(0, padRight)),
                    post.attr()), "dnnl_convolution_forward_primitive_desc_create(" + name + ")");
            MemorySegment pd = handles.ownPd(out.get(ValueLayout.ADDRESS, 0));
            List<Step.Binding> args = new ArrayList<>();
            args.add(new Step.Binding(DNNL_ARG_SRC(), toLayout(x, queryMd(pd, dnnl_query_src_md()), name)));
            args.add(new Step.Binding(DNNL_ARG_WEIGHTS(),
                    constant(c.weight(), userWs, queryMd(pd, dnnl_query_weights_md()), name + ".weight")));
            if (c.bias() != null) {
                args.add(new Step.Binding(DNNL_ARG_BIAS(), constant(c.bias(), c.bias().shape(), null, name + ".bias")));
            }
            return finish(pd, post, args, name, ys);
        }
    }

    private PlanValue batchNorm(BatchNorm b, PlanValue x, String name) {
        try (Arena a = Arena.ofConfined(); PostOps post = new PostOps()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            int flags = dnnl_use_global_stats() | dnnl_use_scale() | dnnl_use_shift();
            Dnnl.check(dnnl_batch_normalization_forward_primitive_desc_create(out, engine, dnnl_forward_inference(),
                    x.md, x.md, b.eps(), flags, post.attr()), "dnnl_batch_normalization_forward_primitive_desc_create(" + name + ")");
            MemorySegment pd = handles.ownPd(out.get(ValueLayout.ADDRESS, 0));
            List<Step.Binding> args = new ArrayList<>();
            args.add(new Step.Binding(DNNL_ARG_SRC(), x));
            args.add(new Step.Binding(DNNL_ARG_MEAN(), constant(b.mean(), b.mean().shape(), null, name + ".mean")));
            args.add(new Step.Binding(DNNL_ARG_VARIANCE(), constant(b.variance(), b.variance().shape(), null, name + ".var")));
            args.add(new Step.Binding(DNNL_ARG_SCALE(), constant(b.weight(), b.weight().shape(), null, name + ".scale")));
            args.add(new Step.Binding(DNNL_ARG_SHIFT(), constant(b.bias(), b.bias().shape(), null, name + ".shift")));
            return finish(pd, post, args, name, x.shape);
        }
    }

    private PlanValue activation(Activation act, PlanValue x, String name) {
        try (Arena a = Arena.ofConfined(); PostOps post = new PostOps()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            List<Step.Binding> args = new ArrayList<>();
            args.add(new Step.Binding(DNNL_ARG_SRC(), x));
            if (act.kind() == Activation.Kind.PRELU) {
                Shape ws = slopeShape(x.shape);
                Dnnl.check(dnnl_prelu_forward_primitive_desc_create(out, engine, dnnl_forward_inference(), x.md,
                        handles.plainMd(ws), x.md, post.attr()), "dnnl_prelu_forward_primitive_desc_create(" + name + ")");
                args.add(new Step.Binding(DNNL_ARG_WEIGHTS(), constant(act.slope(), ws, null, name + ".slope")));
            } else {
                int alg = switch (act.kind()) {
                    case RELU -> dnnl_eltwise_relu();
                    case SIGMOID -> dnnl_eltwise_logistic();
                    default -> dnnl_eltwise_hardswish();
                };
                float alpha = act.kind() == Activation.Kind.HSWISH ? 1f / 6f : 0f;
                float beta = act.kind() == Activation.Kind.HSWISH ? 0.5f : 0f;
                Dnnl.check(dnnl_eltwise_forward_primitive_desc_create(out, engine, dnnl_forward_inference(), alg, x.md, x.md,
                        alpha, beta, post.attr()), "dnnl_eltwise_forward_primitive_desc_create(" + name + ")");
            }
            MemorySegment pd = handles.ownPd(out.get(ValueLayout.ADDRESS, 0));
            return finish(pd, post, args, name, x.shape);
        }
    }

    private static Shape slopeShape(Shape x) {
        int[] d = new int[x.rank()];
        java.util.Arrays.fill(d, 1);
        d[1] = x.dim(1);
        return Shape.of(d);
    }

    private PlanValue binary(Binary b, PlanValue x, PlanValue y, Shape out, String name) {
        // oneDNN broadcasts only src1, so the full-shape operand goes first (all our ops commute);
        // when both broadcast, start from zeros of the full shape and apply the op as a post-op.
        PlanValue src0 = x;
        PlanValue src1 = y;
        if (!x.shape.equals(out) && y.shape.equals(out)) {
            src0 = y;
            src1 = x;
        }
        try (Arena a = Arena.ofConfined(); PostOps post = new PostOps()) {
            MemorySegment pdOut = a.allocate(ValueLayout.ADDRESS);
            List<Step.Binding> args = new ArrayList<>();
            if (src0.shape.equals(out)) {
                Dnnl.check(dnnl_binary_primitive_desc_create(pdOut, engine, PostOps.binaryAlg(b.kind()), src0.md, src1.md,
                        src0.md, post.attr()), "dnnl_binary_primitive_desc_create(" + name + ")");
                args.add(new Step.Binding(DNNL_ARG_SRC_0(), src0));
                args.add(new Step.Binding(DNNL_ARG_SRC_1(), src1));
            } else {
                PlanValue zeros = zeros(out, name + ".zeros");
                post.binary(b.kind(), src1.md, src1);
                Dnnl.check(dnnl_binary_primitive_desc_create(pdOut, engine, dnnl_binary_add(), zeros.md, src0.md,
                        zeros.md, post.attr()), "dnnl_binary_primitive_desc_create(" + name + ")");
                args.add(new Step.Binding(DNNL_ARG_SRC_0(), zeros));
                args.add(new Step.Binding(DNNL_ARG_SRC_1(), src0));
            }
            MemorySegment pd = handles.ownPd(pdOut.get(ValueLayout.ADDRESS, 0));
            return finish(pd, post, args, name, out);
        }
    }

    /**
     * Mean over H or W. For 4-D input it is an average pooling with a 1xW or Hx1 window, which has
     * jit kernels for every layout; oneDNN's reduction has only a reference one for these axes.
     */
    private PlanValue mean(PlanValue x, Shape out, String name) {
        try (Arena a = Arena.ofConfined(); PostOps post = new PostOps()) {
            MemorySegment pdOut = a.allocate(ValueLayout.ADDRESS);
            if (x.shape.rank() == 4) {
                long kh = x.shape.dim(2) / out.dim(2);
                long kw = x.shape.dim(3) / out.dim(3);
                Dnnl.check(dnnl_pooling_forward_primitive_desc_create(pdOut, engine, dnnl_forward_inference(),
                        dnnl_pooling_avg_include_padding(), x.md, handles.anyMd(out), DnnlHandles.dims(a, kh, kw),
                        DnnlHandles.dims(a, kh, kw), DnnlHandles.dims(a, 0, 0), DnnlHandles.dims(a, 0, 0),
                        DnnlHandles.dims(a, 0, 0), post.attr()), "dnnl_pooling_forward_primitive_desc_create(" + name + ")");
            } else {
                Dnnl.check(dnnl_reduction_primitive_desc_create(pdOut, engine, dnnl_reduction_mean(), x.md, handles.anyMd(out),
                        0f, 0f, post.attr()), "dnnl_reduction_primitive_desc_create(" + name + ")");
            }
            MemorySegment pd = handles.ownPd(pdOut.get(ValueLayout.ADDRESS, 0));
            return finish(pd, post, List.of(new Step.Binding(DNNL_ARG_SRC(), x)), name, out);
        }
    }

    /** A broadcast binary (or a folded chain of them) as one pass of {@link BroadcastKernel} in NHWC. */
    private PlanValue broadcastKernel(Binary b, List<PlanValue> operands, Shape out, String name) {
        List<PlanValue> nhwc = new ArrayList<>();
        List<Step.Binding> reads = new ArrayList<>();
        for (PlanValue v : operands) {
            PlanValue r = toLayout(v, handles.md(v.shape, dnnl_acdb()), name);
            nhwc.add(r);
            reads.add(new Step.Binding(0, r));
        }
        PlanValue dst = newValue(name, out, handles.md(out, dnnl_acdb()), null);
        reads.add(new Step.Binding(0, dst));
        dst.producedAt = steps.size();
        steps.add(new Step(name, "java:broadcast_" + b.kind().name().toLowerCase() + "x" + operands.size(), null,
                new BroadcastKernel(b.kind(), dst, nhwc), reads, dst, null));
        return dst;
    }

    private PlanValue linear(Linear l, PlanValue x, Shape out, String name) {
        try (Arena a = Arena.ofConfined(); PostOps post = new PostOps()) {
            if (bf16) {
                post.bf16Math();
            }
            MemorySegment pdOut = a.allocate(ValueLayout.ADDRESS);
            Shape ws = l.weight().shape();
            MemorySegment biasMd = l.bias() == null ? MemorySegment.NULL : handles.plainMd(l.bias().shape());
            Dnnl.check(dnnl_inner_product_forward_primitive_desc_create(pdOut, engine, dnnl_forward_inference(),
                    handles.anyMd(x.shape), handles.anyMd(ws), biasMd, handles.plainMd(out), post.attr()),
                    "dnnl_inner_product_forward_primitive_desc_create(" + name + ")");
            MemorySegment pd = handles.ownPd(pdOut.get(ValueLayout.ADDRESS, 0));
            List<Step.Binding> args = new ArrayList<>();
            args.add(new Step.Binding(DNNL_ARG_SRC(), toLayout(x, queryMd(pd, dnnl_query_src_md()), name)));
            args.add(new Step.Binding(DNNL_ARG_WEIGHTS(), constant(l.weight(), ws, queryMd(pd, dnnl_query_weights_md()),
                    name + ".weight")));
            if (l.bias() != null) {
                args.add(new Step.Binding(DNNL_ARG_BIAS(), constant(l.bias(), l.bias().shape(), null, name + ".bias")));
            }
            return finish(pd, post, args, name, out);
        }
    }

    /** Flatten is free on row-major data: make the input plain if it is not, then alias its buffer. */
    private PlanValue flatten(PlanValue x, Shape out, String name) {
        PlanValue plain = toLayout(x, handles.plainMd(x.shape), name);
        return newValue(name, out, handles.plainMd(out), plain);
    }

    // ---- plumbing ----

    private MemorySegment queryMd(MemorySegment pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    /** Creates the primitive and its step; the output layout is whatever the primitive chose. */
    private PlanValue finish(MemorySegment pd, PostOps post, List<Step.Binding> args, String name, Shape out) {
        PlanValue dst = newValue(name, out, handles.cloneMd(queryMd(pd, dnnl_query_dst_md())), null);
        List<Step.Binding> all = new ArrayList<>(args);
        all.add(new Step.Binding(DNNL_ARG_DST(), dst));
        for (PostOps.ExtraArg e : post.extraArgs()) {
            PlanValue v = e.source() instanceof PlanValue pv ? pv
                    : constant((Tensor) e.source(), slopeShape(out), null, name + ".postop");
            all.add(new Step.Binding(e.arg(), v));
        }
        addStep(name, pd, all, dst);
        return dst;
    }

    private void addStep(String name, MemorySegment pd, List<Step.Binding> bindings, PlanValue output) {
        MemorySegment scratchMd = queryMd(pd, dnnl_query_scratchpad_md());
        MemorySegment scratch = scratchMd.equals(MemorySegment.NULL) || DnnlHandles.size(scratchMd) == 0 ? null : scratchMd;
        String impl = implInfo(pd);
        if (impl.startsWith("ref")) {
            // oneDNN found no optimised kernel for this shape/layout: correct, but often 100x slower
            LOG.log(System.Logger.Level.WARNING, "cpu plan: {0} runs oneDNN''s reference implementation ({1})", name, impl);
        }
        output.producedAt = steps.size();
        steps.add(new Step(name, impl, handles.primitive(pd), null, List.copyOf(bindings), output, scratch));
    }

    /** The name of the implementation oneDNN picked for a primitive descriptor, e.g. brg_conv_fwd:avx512_core. */
    static String implInfo(MemorySegment pd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str(), 0, out) != dnnl_success()) {
                return "?";
            }
            return out.get(ValueLayout.ADDRESS, 0).reinterpret(Long.MAX_VALUE).getString(0);
        }
    }

    /** x itself when it already has the wanted layout, else a reorder step into a new value. */
    private PlanValue toLayout(PlanValue x, MemorySegment wanted, String consumer) {
        if (DnnlHandles.sameLayout(x.md, wanted)) {
            return x;
        }
        return reorder(x, handles.cloneMd(wanted), consumer + ".reorder");
    }

    private PlanValue reorder(PlanValue x, MemorySegment dstMd, String name) {
        try (Arena a = Arena.ofConfined(); PostOps post = new PostOps()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_reorder_primitive_desc_create(out, x.md, engine, dstMd, engine, post.attr()),
                    "dnnl_reorder_primitive_desc_create(" + name + ")");
            MemorySegment pd = handles.ownPd(out.get(ValueLayout.ADDRESS, 0));
            PlanValue dst = newValue(name, x.shape, dstMd, null);
            addStep(name, pd, List.of(new Step.Binding(DNNL_ARG_FROM(), x), new Step.Binding(DNNL_ARG_TO(), dst)), dst);
            return dst;
        }
    }

    /**
     * A weight or other constant: copied into the plan's arena in plain layout, then reordered
     * once into {@code wanted} (the layout the primitive chose) when that differs.
     */
    private PlanValue constant(Tensor t, Shape userShape, MemorySegment wanted, String name) {
        MemorySegment plainMd = handles.plainMd(userShape);
        PlanValue v;
        if (wanted == null || DnnlHandles.sameLayout(plainMd, wanted)) {
            v = newValue(name, userShape, plainMd, null);
            v.data = arena.allocate(Math.max(64, t.numel() * 4), 64);
            Tensor.wrap(v.data, DType.F32, t.shape()).copyFrom(t);
        } else {
            // the plain copy only feeds the one-time reorder, so it lives in a scratch arena
            MemorySegment md = handles.cloneMd(wanted);
            v = newValue(name, userShape, md, null);
            v.data = arena.allocate(Math.max(64, DnnlHandles.size(md)), 64);
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment plain = scratch.allocate(Math.max(64, t.numel() * 4), 64);
                Tensor.wrap(plain, DType.F32, t.shape()).copyFrom(t);
                reorderNow(plainMd, plain, md, v.data);
            }
        }
        v.pinned = true; // bound to its memory object with every other value when the plan is made
        return v;
    }

    private PlanValue zeros(Shape shape, String name) {
        MemorySegment md = handles.plainMd(shape);
        PlanValue v = newValue(name, shape, md, null);
        v.data = arena.allocate(Math.max(64, DnnlHandles.size(md)), 64); // arena memory starts zeroed
        v.pinned = true; // bound to its memory object with every other value when the plan is made
        return v;
    }

    private void reorderNow(MemorySegment srcMd, MemorySegment src, MemorySegment dstMd, MemorySegment dst) {
        try (Arena a = Arena.ofConfined(); DnnlHandles temp = new DnnlHandles(); PostOps post = new PostOps()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_reorder_primitive_desc_create(out, srcMd, engine, dstMd, engine, post.attr()),
                    "dnnl_reorder_primitive_desc_create(weights)");
            MemorySegment pd = temp.ownPd(out.get(ValueLayout.ADDRESS, 0));
            MemorySegment prim = temp.primitive(pd);
            MemorySegment from = temp.memory(engine, srcMd, src);
            MemorySegment to = temp.memory(engine, dstMd, dst);
            MemorySegment scratchMd = queryMd(pd, dnnl_query_scratchpad_md());
            long scratchBytes = scratchMd.equals(MemorySegment.NULL) ? 0 : DnnlHandles.size(scratchMd);
            MemorySegment scratch = temp.memory(engine, scratchBytes > 0 ? scratchMd : srcMd,
                    a.allocate(Math.max(64, scratchBytes), 64));
            MemorySegment args = dev.affect.bindings.dnnl.gen.dnnl_exec_arg_t.allocateArray(3, a);
            ExecArgs.set(args, 0, DNNL_ARG_FROM(), from);
            ExecArgs.set(args, 1, DNNL_ARG_TO(), to);
            ExecArgs.set(args, 2, DNNL_ARG_SCRATCHPAD(), scratch);
            Dnnl.check(dnnl_primitive_execute(prim, stream, scratchBytes > 0 ? 3 : 2, args), "dnnl_primitive_execute(weights reorder)");
            Dnnl.check(dnnl_stream_wait(stream), "dnnl_stream_wait");
        }
    }
}
