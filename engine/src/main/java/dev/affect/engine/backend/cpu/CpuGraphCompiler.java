package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.backend.Precision;
import dev.affect.engine.backend.Signature;
import dev.affect.engine.backend.TensorSpec;
import dev.affect.engine.graph.Activation;
import dev.affect.engine.graph.BatchNorm;
import dev.affect.engine.graph.BatchNormTraining;
import dev.affect.engine.graph.Binary;
import dev.affect.engine.graph.Concat;
import dev.affect.engine.graph.Conv2d;
import dev.affect.engine.graph.FusedConv2d;
import dev.affect.engine.graph.Gather;
import dev.affect.engine.graph.GradientOp;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.LayerNorm;
import dev.affect.engine.graph.Linear;
import dev.affect.engine.graph.Lstm;
import dev.affect.engine.graph.MatMul;
import dev.affect.engine.graph.Mean;
import dev.affect.engine.graph.Node;
import dev.affect.engine.graph.PRelu;
import dev.affect.engine.graph.Reshape;
import dev.affect.engine.graph.Slice;
import dev.affect.engine.graph.Softmax;
import dev.affect.engine.graph.Split;
import dev.affect.engine.graph.Transpose;
import dev.affect.engine.graph.Upsample;
import dev.affect.engine.graph.Value;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles a graph for one input signature into a {@link CpuExecutable}. This class is the
 * plumbing only (values, layouts, reorders, steps, weights, liveness); each op family is lowered by
 * its own class. It follows oneDNN's cnn_inference_f32 example: descriptors with format_tag_any,
 * the chosen layouts kept between layers, a reorder only where a consumer wants another layout,
 * weights reordered once into the prepared model's cache.
 */
final class CpuGraphCompiler {
    private static final System.Logger LOG = System.getLogger(CpuGraphCompiler.class.getName());
    final CpuPreparedModel model;
    final MemorySegment engine;
    final boolean bf16;
    final DnnlHandles handles = new DnnlHandles();
    private final List<CpuStep> steps = new ArrayList<>();
    private final List<CpuValue> values = new ArrayList<>();
    private final Map<Integer, CpuValue> byId = new HashMap<>();
    private Map<Integer, Shape> shapes;
    private Graph graph;
    /** Broadcast products folded into their single consumer: value id -> operands so far. */
    private final Map<Integer, List<CpuValue>> pendingProducts = new HashMap<>();
    private Set<Integer> foldable = Set.of();

    CpuGraphCompiler(CpuPreparedModel model) {
        this.model = model;
        this.engine = model.engine();
        this.bf16 = model.backend().precision() == Precision.BF16;
    }

    CpuExecutable compile(Map<String, Shape> inputShapes, int threads) {
        try {
            return build(inputShapes, threads);
        } catch (RuntimeException | Error e) {
            handles.close();
            throw e;
        }
    }

    private CpuExecutable build(Map<String, Shape> inputShapes, int threads) {
        graph = model.graph();
        shapes = graph.inferShapes(inputShapes);
        List<TensorSpec> inSpecs = new ArrayList<>();
        Map<String, CpuValue> bindable = new LinkedHashMap<>();
        for (Value in : graph.inputs()) {
            Shape s = shapes.get(in.id());
            DType dt = in.type().dtype();
            CpuValue v = add(in.name(), s, dt, dt == DType.F32 ? plainMd(s) : null, CpuValue.Kind.PINNED, null, 0, -1);
            byId.put(in.id(), v);
            bindable.put(in.name(), v);
            inSpecs.add(new TensorSpec(in.name(), dt, s));
        }
        foldable = BinaryLowering.foldable(graph, shapes);
        for (Node n : graph.nodes()) {
            try {
                lower(n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cpu: cannot lower " + n.name() + " (" + n.op().describe() + "): "
                        + e.getMessage(), e);
            }
        }
        List<TensorSpec> outSpecs = new ArrayList<>();
        for (Map.Entry<String, Value> e : graph.outputs().entrySet()) {
            CpuValue v = value(e.getValue());
            CpuValue out = output(e.getKey(), v, bindable);
            bindable.put(e.getKey(), out);
            outSpecs.add(new TensorSpec(e.getKey(), out.dtype, out.shape));
        }
        for (int i = 0; i < steps.size(); i++) {
            CpuStep s = steps.get(i);
            for (CpuStep.Arg a : s.args()) {
                if (!s.writes().contains(a.value())) {
                    a.value().lastRead = Math.max(a.value().lastRead, i);
                }
            }
        }
        long block = ActivationPlanner.assign(values, steps.size());
        long scratch = 0;
        for (CpuStep s : steps) {
            if (s.scratchpadMd() != null) {
                scratch = Math.max(scratch, DnnlHandles.size(s.scratchpadMd()));
            }
        }
        return new CpuExecutable(model, new Signature(inSpecs, outSpecs), steps, values, bindable, block, scratch, handles,
                threads);
    }

    /** A graph output as its own plain buffer the caller can read or bind. */
    private CpuValue output(String name, CpuValue v, Map<String, CpuValue> bindable) {
        CpuValue r = v.root();
        boolean own = r.kind == CpuValue.Kind.ACTIVATION && !r.pinned && v.totalOffset() == 0 && v.md != null
                && DnnlHandles.sameLayout(v.md, plainMd(v.shape)) && !bindable.containsValue(v);
        if (v.md == null) {
            if (r.kind == CpuValue.Kind.ACTIVATION && !r.pinned) {
                r.pinned = true;
                return v;
            }
            throw new UnsupportedOperationException("cpu: output " + name + " of type " + v.dtype + " must be computed");
        }
        if (own) {
            r.pinned = true;
            return v;
        }
        CpuValue out = reorder(v, plainMd(v.shape), name + ".out");
        out.pinned = true;
        return out;
    }

    private void lower(Node n) {
        switch (n.op()) {
            case Conv2d c -> ConvLowering.conv(this, n, c);
            case FusedConv2d f -> ConvLowering.fused(this, n, f);
            case BatchNorm b -> NormLowering.batchNorm(this, n, b);
            case BatchNormTraining b -> NormLowering.batchNormTraining(this, n, b);
            case LayerNorm l -> NormLowering.layerNorm(this, n, l);
            case Softmax s -> NormLowering.softmax(this, n, s);
            case Activation a -> EltwiseLowering.activation(this, n, a);
            case PRelu p -> EltwiseLowering.prelu(this, n);
            case Binary b -> BinaryLowering.binary(this, n, b);
            case Mean m -> EltwiseLowering.mean(this, n, m);
            case Linear l -> MatMulLowering.linear(this, n, l);
            case MatMul m -> MatMulLowering.matmul(this, n, m);
            case Reshape r -> ShapeLowering.reshape(this, n);
            case Transpose t -> ShapeLowering.transpose(this, n, t);
            case Concat c -> ShapeLowering.concat(this, n, c);
            case Split s -> ShapeLowering.split(this, n, s);
            case Slice s -> ShapeLowering.slice(this, n, s);
            case Upsample u -> ShapeLowering.upsample(this, n, u);
            case Gather g -> ShapeLowering.gather(this, n);
            case Lstm l -> LstmLowering.lstm(this, n);
            case GradientOp g -> GradientLowering.lower(this, n, g);
        }
    }

    // ---- values ----

    Shape shape(Value v) {
        return shapes.get(v.id());
    }

    boolean isFoldable(Value v) {
        return foldable.contains(v.id());
    }

    void pend(Value v, List<CpuValue> operands) {
        pendingProducts.put(v.id(), operands);
    }

    List<CpuValue> pending(Value v) {
        return pendingProducts.get(v.id());
    }

    /** The value of a graph value; a parameter is read from the store as it is (plain). */
    CpuValue value(Value v) {
        CpuValue c = byId.get(v.id());
        if (c == null && v.kind() == Value.Kind.PARAMETER) {
            Shape s = v.type().shape();
            c = add(v.name(), s, DType.F32, plainMd(s), CpuValue.Kind.PARAMETER, null, 0, model.directSlot(v.name()));
            byId.put(v.id(), c);
        }
        if (c == null) {
            throw new IllegalStateException("value " + v + " is used before it is computed"
                    + (pendingProducts.containsKey(v.id()) ? " (folded into a broadcast chain)" : ""));
        }
        return c;
    }

    /** Input i of a node as float32 (what primitives compute on). */
    CpuValue in(Node n, int i) {
        CpuValue v = value(n.inputs().get(i));
        if (v.dtype != DType.F32) {
            throw new UnsupportedOperationException("cpu: " + n.op().describe() + " computes float32; input "
                    + v.name + " is " + v.dtype);
        }
        return v;
    }

    void define(Value graphValue, CpuValue v) {
        byId.put(graphValue.id(), v);
    }

    private CpuValue add(String name, Shape shape, DType dtype, MemorySegment md, CpuValue.Kind kind, CpuValue aliasOf,
                         long offset, int slot) {
        CpuValue v = new CpuValue(values.size(), name, shape, dtype, md, kind, aliasOf, offset, slot);
        values.add(v);
        return v;
    }

    CpuValue activation(String name, Shape shape, MemorySegment md) {
        return add(name, shape, DType.F32, md, CpuValue.Kind.ACTIVATION, null, 0, -1);
    }

    /** A buffer for a Java kernel's output of any type. */
    CpuValue kernelOutput(String name, Shape shape, DType dtype) {
        return add(name, shape, dtype, dtype == DType.F32 ? plainMd(shape) : null, CpuValue.Kind.ACTIVATION, null, 0, -1);
    }

    CpuValue zeros(String name, Shape shape) {
        return add(name, shape, DType.F32, plainMd(shape), CpuValue.Kind.ZEROS, null, 0, -1);
    }

    /** Another description of (part of) x's bytes, from {@code byteOffset} on. */
    CpuValue view(CpuValue x, String name, Shape shape, MemorySegment md, long byteOffset) {
        return add(name, shape, x.dtype, md, x.kind == CpuValue.Kind.PARAMETER ? CpuValue.Kind.PARAMETER : CpuValue.Kind.ACTIVATION,
                x, byteOffset, x.slot);
    }

    /** x with another shape of the same row-major data: free when x is plain, else after a reorder. */
    CpuValue reshaped(CpuValue x, Shape shape, String name) {
        if (x.shape.equals(shape)) {
            return x;
        }
        CpuValue p = plain(x, name);
        return view(p, name, shape, plainMd(shape), 0);
    }

    /** x with leading 1s up to rank (NumPy broadcasting's view). */
    CpuValue padRank(CpuValue x, int rank, String name) {
        return x.shape.rank() == rank ? x : reshaped(x, Binary.padLeft(x.shape, rank), name + ".rank" + rank);
    }

    /**
     * A weight parameter described by {@code userMd} (its store bytes, any dims) in the layout the
     * primitive wants: the store's memory itself when that layout is the user's, else the prepared
     * model's cached reorder.
     */
    CpuValue weight(Value p, Shape userShape, MemorySegment userMd, MemorySegment wanted) {
        if (wanted == null || DnnlHandles.sameLayout(userMd, wanted)) {
            return add(p.name(), userShape, DType.F32, cloneMd(userMd), CpuValue.Kind.PARAMETER, null, 0,
                    model.directSlot(p.name()));
        }
        int slot = model.cachedSlot(p.name(), List.of(p.name()), null, userMd, wanted);
        return add(p.name() + ".reordered", userShape, DType.F32, cloneMd(wanted), CpuValue.Kind.PARAMETER, null, 0, slot);
    }

    /** A parameter read as the store holds it, described with other dims of the same bytes (slopes as [1, C, 1, 1]). */
    CpuValue parameterAs(Value p, Shape shape) {
        return add(p.name(), shape, DType.F32, plainMd(shape), CpuValue.Kind.PARAMETER, null, 0, model.directSlot(p.name()));
    }

    /** Input i seen with other dims of the same bytes: a parameter straight from the store, else a view. */
    CpuValue parameterOrView(Node n, int i, Shape shape) {
        Value v = n.input(i);
        if (v.kind() == Value.Kind.PARAMETER) {
            return parameterAs(v, shape);
        }
        return reshaped(in(n, i), shape, n.name() + ".in" + i);
    }

    /** A weight computed from parameters (kept in the cache and remade when they change). */
    CpuValue derivedWeight(String key, List<String> sources, Function<List<Tensor>, Tensor> derive, Shape userShape,
                           MemorySegment userMd, MemorySegment wanted) {
        int slot = model.cachedSlot(key, sources, derive, userMd, wanted);
        return add(key, userShape, DType.F32, cloneMd(wanted), CpuValue.Kind.PARAMETER, null, 0, slot);
    }

    /** Makes a primitive descriptor (owned by the caller) with these weight descriptors. */
    interface PdFactory {
        MemorySegment create(MemorySegment[] weightMds);
    }

    /**
     * A primitive descriptor whose weights reuse a layout the prepared model already caches, so
     * that executables for other batch sizes share one copy of each weight: first oneDNN picks
     * freely ({@code anyMds}); where it picked a layout not yet used for that parameter but another
     * is (the store's own, {@code userMds}, or a cached one), the descriptor is made again with that
     * one, and kept unless oneDNN then has only its reference implementation (then the weight gets a
     * second layout: the cache grows with the layouts oneDNN needs, never with the number of
     * executables). The result is owned by this executable.
     */
    MemorySegment preferCachedWeights(String[] keys, int[] weightIndices, MemorySegment[] anyMds, MemorySegment[] userMds,
                                      PdFactory factory) {
        MemorySegment pd = factory.create(anyMds);
        MemorySegment[] chosen = anyMds.clone();
        boolean reuse = false;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                continue;
            }
            List<MemorySegment> known = new ArrayList<>();
            if (model.readsDirectly(keys[i])) {
                known.add(userMds[i]); // free: the store's own bytes
            }
            known.addAll(model.cachedLayouts(keys[i]));
            MemorySegment wanted = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md(), weightIndices[i]);
            if (!known.isEmpty() && known.stream().noneMatch(md -> DnnlHandles.sameLayout(md, wanted))) {
                chosen[i] = known.get(0);
                reuse = true;
            }
        }
        if (!reuse) {
            return handles.ownPd(pd);
        }
        MemorySegment again;
        try {
            again = factory.create(chosen);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cpu: {0} cannot take its weights in a layout already cached: {1}",
                    names(keys), e.getMessage());
            return handles.ownPd(pd);
        }
        if (implInfo(again).startsWith("ref")) {
            // a second copy in another layout beats oneDNN's reference loop; bounded by the layouts oneDNN wants
            LOG.log(System.Logger.Level.DEBUG, "cpu: {0} is cached in a second layout ({1}): the first one has only oneDNN''s"
                    + " reference kernel here", names(keys),
                    implInfo(pd));
            Dnnl.check(dnnl_primitive_desc_destroy(again), "dnnl_primitive_desc_destroy");
            return handles.ownPd(pd);
        }
        Dnnl.check(dnnl_primitive_desc_destroy(pd), "dnnl_primitive_desc_destroy");
        return handles.ownPd(again);
    }

    // ---- descriptors ----

    static long[] plainStrides(Shape s) {
        long[] st = new long[s.rank()];
        long acc = 1;
        for (int i = s.rank() - 1; i >= 0; i--) {
            st[i] = acc;
            acc *= s.dim(i);
        }
        return st;
    }

    /** A row-major descriptor of any rank. */
    MemorySegment plainMd(Shape s) {
        return stridedMd(s, plainStrides(s));
    }

    MemorySegment stridedMd(Shape s, long[] strides) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_memory_desc_create_with_strides(out, s.rank(), DnnlHandles.dims(a, s), dnnl_f32(),
                    a.allocateFrom(ValueLayout.JAVA_LONG, strides)), "dnnl_memory_desc_create_with_strides");
            return handles.own(out.get(ValueLayout.ADDRESS, 0));
        }
    }

    MemorySegment anyMd(Shape s) {
        return handles.anyMd(s);
    }

    MemorySegment tagMd(Shape s, int tag) {
        return handles.md(s, tag);
    }

    MemorySegment cloneMd(MemorySegment md) {
        return handles.cloneMd(md);
    }

    boolean isPlain(CpuValue x) {
        return x.md != null && DnnlHandles.sameLayout(x.md, plainMd(x.shape));
    }

    // ---- steps ----

    MemorySegment pd(MemorySegment out) {
        return handles.ownPd(out.get(ValueLayout.ADDRESS, 0));
    }

    static MemorySegment query(MemorySegment pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    /** x itself when it already has the wanted layout, else a reorder step into a new value. */
    CpuValue toLayout(CpuValue x, MemorySegment wanted, String consumer) {
        if (DnnlHandles.sameLayout(x.md, wanted)) {
            return x;
        }
        return reorder(x, cloneMd(wanted), consumer + ".reorder");
    }

    CpuValue plain(CpuValue x, String consumer) {
        return toLayout(x, plainMd(x.shape), consumer);
    }

    CpuValue reorder(CpuValue x, MemorySegment dstMd, String name) {
        try (Arena a = Arena.ofConfined(); Attr attr = new Attr()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_reorder_primitive_desc_create(out, x.md, engine, dstMd, engine, attr.get()),
                    "dnnl_reorder_primitive_desc_create(" + name + ")");
            MemorySegment pd = pd(out);
            CpuValue dst = activation(name, x.shape, dstMd);
            primitive(name, pd, List.of(new CpuStep.Arg(DNNL_ARG_FROM(), x), new CpuStep.Arg(DNNL_ARG_TO(), dst)), List.of(dst));
            return dst;
        }
    }

    /** Creates the primitive and its step; the output takes whatever layout the primitive chose. */
    CpuValue finish(MemorySegment pd, Attr attr, List<CpuStep.Arg> args, String name, Shape out) {
        CpuValue dst = activation(name, out, cloneMd(query(pd, dnnl_query_dst_md())));
        List<CpuStep.Arg> all = new ArrayList<>(args);
        all.add(new CpuStep.Arg(DNNL_ARG_DST(), dst));
        for (Attr.ExtraArg e : attr.extraArgs()) {
            all.add(new CpuStep.Arg(e.arg(), e.value()));
        }
        primitive(name, pd, all, List.of(dst));
        return dst;
    }

    void primitive(String name, MemorySegment pd, List<CpuStep.Arg> args, List<CpuValue> writes) {
        MemorySegment scratchMd = query(pd, dnnl_query_scratchpad_md());
        MemorySegment scratch = scratchMd.equals(MemorySegment.NULL) || DnnlHandles.size(scratchMd) == 0 ? null : scratchMd;
        String impl = implInfo(pd);
        if (impl.startsWith("ref")) {
            // oneDNN found no optimised kernel for this shape/layout: correct, but often 100x slower
            LOG.log(System.Logger.Level.WARNING, "cpu executable: {0} runs oneDNN''s reference implementation ({1})", name, impl);
        }
        for (CpuValue w : writes) {
            w.producedAt = steps.size();
        }
        steps.add(new CpuStep(name, impl, handles.primitive(pd), null, args, writes, scratch, writes.get(0).shape.toString()));
    }

    /** A step run by Java code; {@code impl} says what it is (describe prints "java kernel: impl"). */
    void kernel(String name, String impl, JavaKernel kernel, List<CpuValue> reads, List<CpuValue> writes) {
        List<CpuStep.Arg> args = new ArrayList<>();
        reads.forEach(v -> args.add(new CpuStep.Arg(0, v)));
        writes.forEach(v -> args.add(new CpuStep.Arg(0, v)));
        for (CpuValue w : writes) {
            w.producedAt = steps.size();
        }
        steps.add(new CpuStep(name, "java kernel: " + impl, null, kernel, args, writes, null, writes.get(0).shape.toString()));
    }

    private static String names(String[] keys) {
        return String.join(",", Arrays.stream(keys).filter(Objects::nonNull).toList());
    }

    /** Whether oneDNN has only its reference implementation for this descriptor. */
    static boolean isRef(MemorySegment pd) {
        return implInfo(pd).startsWith("ref");
    }

    /** Destroys a descriptor this compiler has not taken ownership of. */
    static void destroyPd(MemorySegment pd) {
        Dnnl.check(dnnl_primitive_desc_destroy(pd), "dnnl_primitive_desc_destroy");
    }

    static String implInfo(MemorySegment pd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str(), 0, out) != dnnl_success()) {
                return "?";
            }
            return out.get(ValueLayout.ADDRESS, 0).reinterpret(Long.MAX_VALUE).getString(0);
        }
    }
}
