package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Graph;
import dev.affect.engine.backend.Plan;
import dev.affect.engine.backend.Precision;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * oneDNN on the CPU. Holds one engine, shared by everything made here. The graph IR path
 * ({@link #prepare}) needs no lock: each {@link CpuExecutionContext} has its own stream and
 * scratchpad, so workers run one executable concurrently. The old {@link Plan} path shares one
 * in-order stream, so its plans execute one at a time under {@code streamLock}.
 */
public final class CpuBackend implements Backend {
    /** What {@link #description()} says when bf16 was requested but oneDNN has no bf16 kernel here. */
    public static final String BF16_NOT_USED = "bf16 requested but oneDNN computes f32 here";
    private static final System.Logger LOG = System.getLogger(CpuBackend.class.getName());
    /** The bf16-is-f32 warning is logged once per process, not once per backend opened. */
    private static final AtomicBoolean BF16_WARNED = new AtomicBoolean();
    private final MemorySegment engine;
    private final MemorySegment stream;
    private final int threads;
    private final int requestedThreads;
    private final Precision precision;
    /** What bf16 precision really does here; null for f32. */
    private final Bf16Support.Verdict bf16;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** OpenMP's thread count is per calling thread, so each thread that executes sets it once. */
    private final ThreadLocal<Boolean> threadsSet = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** The one oneDNN stream is not thread-safe: every plan of this backend executes under this lock. */
    final Object streamLock = new Object();

    CpuBackend(BackendOptions options) {
        Dnnl.load();
        requestedThreads = options.threads();
        precision = options.precision();
        applyThreads();
        threads = Dnnl.maxThreads();
        bf16 = precision == Precision.BF16 ? Bf16Support.probe() : null;
        if (bf16 != null && !bf16.used() && BF16_WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "cpu backend: bf16 precision requested but {0}", bf16.reason());
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_engine_create(out, dnnl_cpu(), 0), "dnnl_engine_create");
            engine = out.get(ValueLayout.ADDRESS, 0);
            try {
                Dnnl.check(dnnl_stream_create(out, engine, dnnl_stream_default_flags()), "dnnl_stream_create");
            } catch (RuntimeException e) {
                dnnl_engine_destroy(engine);
                throw e;
            }
            stream = out.get(ValueLayout.ADDRESS, 0);
        }
    }

    /** Cheap after the first call on a thread. */
    void applyThreads() {
        if (requestedThreads > 0 && !threadsSet.get()) {
            Dnnl.setNumThreads(requestedThreads);
            threadsSet.set(Boolean.TRUE);
        }
    }

    Precision precision() {
        return precision;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        String d = "oneDNN " + Dnnl.version() + ", " + Dnnl.effectiveCpuIsaName() + ", " + threads + " threads, "
                + precision.name().toLowerCase();
        return bf16 == null || bf16.used() ? d : d + ", " + BF16_NOT_USED + " (" + bf16.reason() + ")";
    }

    @Override
    public Plan compile(Graph graph, Map<String, Shape> inputShapes) {
        if (closed.get()) {
            throw new IllegalStateException("cpu backend is closed");
        }
        Arena arena = Arena.ofShared();
        DnnlHandles handles = new DnnlHandles();
        try {
            return new CpuPlanBuilder(this, engine, stream, arena, handles).build(graph, inputShapes);
        } catch (RuntimeException | Error e) {
            handles.close();
            arena.close();
            throw e;
        }
    }

    /**
     * Destroys the stream, then the engine even if that failed (the first failure is rethrown);
     * later calls do nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Dnnl.check(dnnl_stream_destroy(stream), "dnnl_stream_destroy");
        } catch (RuntimeException e) {
            try {
                Dnnl.check(dnnl_engine_destroy(engine), "dnnl_engine_destroy");
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        Dnnl.check(dnnl_engine_destroy(engine), "dnnl_engine_destroy");
    }

    @Override
    public PreparedModel prepare(dev.affect.engine.graph.Graph graph, dev.affect.engine.graph.ParameterStore parameters) {
        if (closed.get()) {
            throw new IllegalStateException("cpu backend is closed");
        }
        return new CpuPreparedModel(this, engine, graph, parameters);
    }
}
