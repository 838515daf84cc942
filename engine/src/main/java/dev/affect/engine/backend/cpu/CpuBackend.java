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

/**
 * oneDNN on the CPU. Holds one engine and one in-order stream; plans compiled here share them, so
 * plans of one backend must execute from one thread at a time (serialised by the caller).
 */
public final class CpuBackend implements Backend {
    private final MemorySegment engine;
    private final MemorySegment stream;
    private final int threads;
    private final int requestedThreads;
    private final Precision precision;
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
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_engine_create(out, dnnl_cpu(), 0), "dnnl_engine_create");
            engine = out.get(ValueLayout.ADDRESS, 0);
            Dnnl.check(dnnl_stream_create(out, engine, dnnl_stream_default_flags()), "dnnl_stream_create");
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
        return "oneDNN " + Dnnl.version() + ", " + Dnnl.effectiveCpuIsaName() + ", " + threads + " threads, "
                + precision.name().toLowerCase();
    }

    @Override
    public Plan compile(Graph graph, Map<String, Shape> inputShapes) {
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

    @Override
    public void close() {
        Dnnl.check(dnnl_stream_destroy(stream), "dnnl_stream_destroy");
        Dnnl.check(dnnl_engine_destroy(engine), "dnnl_engine_destroy");
    }

    @Override
    public PreparedModel prepare(dev.affect.engine.graph.Graph graph, dev.affect.engine.graph.ParameterStore parameters) {
        throw new UnsupportedOperationException("the graph IR is being ported to this backend");
    }
}
