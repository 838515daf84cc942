package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.BackendOptions;
import dev.affect.engine.backend.Precision;
import dev.affect.engine.backend.Workspace;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * oneDNN on the CPU. Holds one engine, shared by everything made here. There is no lock: each
 * {@link CpuExecutionContext} has its own stream and user-mode scratchpad (in memory of its own or
 * in a {@link CpuWorkspace} its worker shares between contexts run one at a time), so workers run
 * one executable concurrently.
 */
public final class CpuBackend implements Backend {
    /** What {@link #description()} says when bf16 was requested but oneDNN has no bf16 kernel here. */
    public static final String BF16_NOT_USED = "bf16 requested but oneDNN computes f32 here";
    private static final System.Logger LOG = System.getLogger(CpuBackend.class.getName());
    /** The bf16-is-f32 warning is logged once per process, not once per backend opened. */
    private static final AtomicBoolean BF16_WARNED = new AtomicBoolean();
    private final MemorySegment engine;
    private final int threads;
    private final Precision precision;
    /** What bf16 precision really does here; null for f32. */
    private final Bf16Support.Verdict bf16;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** OpenMP's thread count is per calling thread: what each thread has set it to (0: untouched). */
    private static final ThreadLocal<int[]> THREAD_COUNT = ThreadLocal.withInitial(() -> new int[1]);
    /** OpenMP's default before this process changed any thread's count (all cores, or OMP_NUM_THREADS). */
    private static int processDefaultThreads;

    CpuBackend(BackendOptions options) {
        Dnnl.load();
        precision = options.precision();
        threads = options.threads() > 0 ? options.threads() : processDefaultThreads();
        bf16 = precision == Precision.BF16 ? Bf16Support.probe() : null;
        if (bf16 != null && !bf16.used() && BF16_WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "cpu backend: bf16 precision requested but {0}", bf16.reason());
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_engine_create(out, dnnl_cpu(), 0), "dnnl_engine_create");
            engine = out.get(ValueLayout.ADDRESS, 0);
        }
    }

    private static synchronized int processDefaultThreads() {
        if (processDefaultThreads == 0) {
            processDefaultThreads = Dnnl.maxThreads();
        }
        return processDefaultThreads;
    }

    /** The threads this backend computes with. */
    int threads() {
        return threads;
    }

    /**
     * Makes the calling thread's oneDNN primitives (created or executed next) use {@code n} OpenMP
     * threads; a compare when it already does.
     */
    void useThreads(int n) {
        int[] current = THREAD_COUNT.get();
        if (current[0] != n) {
            Dnnl.setNumThreads(n);
            current[0] = n;
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

    /** Destroys the engine once; later calls do nothing. Prepared models made here must be closed before. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Dnnl.check(dnnl_engine_destroy(engine), "dnnl_engine_destroy");
        }
    }

    @Override
    public PreparedModel prepare(Graph graph, ParameterStore parameters) {
        if (closed.get()) {
            throw new IllegalStateException("cpu backend is closed");
        }
        return new CpuPreparedModel(this, engine, graph, parameters);
    }

    /** Host memory, 64-byte aligned; see {@link Workspace}. */
    @Override
    public Workspace newWorkspace(long bytes) {
        if (closed.get()) {
            throw new IllegalStateException("cpu backend is closed");
        }
        return new CpuWorkspace(this, bytes);
    }
}
