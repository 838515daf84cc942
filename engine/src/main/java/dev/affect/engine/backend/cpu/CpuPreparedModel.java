package dev.affect.engine.backend.cpu;

import static dev.affect.bindings.dnnl.gen.dnnl_h.*;

import dev.affect.bindings.dnnl.Dnnl;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.graph.ParameterStore;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A graph and its ParameterStore on oneDNN. Weights a primitive wants in a plain layout are read
 * straight from the store's memory; weights it wants reordered (blocked convolution and inner
 * product weights, LSTM weights) and derived weights (the LSTM's one bias) live once in this
 * model's weight cache, keyed by parameter and layout, so executables for different batch sizes
 * that want the same layout share one copy.
 *
 * <p>When the store's version moves (an optimiser step, a put), the next execute of any context
 * refreshes the store's derived parameters and reorders the cached weights again, under this
 * model's lock: executables see the new weights without recompiling. Thread-safe.
 */
final class CpuPreparedModel implements PreparedModel {
    private final CpuBackend backend;
    private final MemorySegment engine;
    private final Graph graph;
    private final ParameterStore store;
    private final Object lock = new Object();
    private final Arena arena;
    private final DnnlHandles handles = new DnnlHandles();
    /** For the one-off weight reorders, used under {@link #lock} only. */
    private final MemorySegment stream;
    /** Guarded by lock. */
    private final List<Slot> slots = new ArrayList<>();
    /** Guarded by lock. */
    private final List<Entry> entries = new ArrayList<>();
    private volatile long seenVersion;
    private volatile long generation;
    private long cacheBytes;
    private volatile boolean closed;

    /** A parameter read from the store ({@code entry} null), or a cache entry. */
    private record Slot(String parameter, Entry entry) {
    }

    /** One weight in one layout: made from its sources by {@code derive} (null: the one source as is). */
    private record Entry(String key, List<String> sources, Function<List<Tensor>, Tensor> derive,
                         MemorySegment userMd, MemorySegment md, MemorySegment data) {
    }

    CpuPreparedModel(CpuBackend backend, MemorySegment engine, Graph graph, ParameterStore store) {
        this.backend = backend;
        this.engine = engine;
        this.graph = graph;
        this.store = store;
        store.requireFor(graph); // before anything native is made: a missing weight leaks nothing
        arena = Arena.ofShared();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_stream_create(out, engine, dnnl_stream_default_flags()), "dnnl_stream_create");
            stream = out.get(ValueLayout.ADDRESS, 0);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        seenVersion = Long.MIN_VALUE; // the first compile refreshes the store's derived parameters
    }

    @Override
    public Graph graph() {
        return graph;
    }

    @Override
    public ParameterStore parameters() {
        return store;
    }

    CpuBackend backend() {
        return backend;
    }

    MemorySegment engine() {
        return engine;
    }

    @Override
    public Executable compile(Map<String, Shape> inputShapes) {
        synchronized (lock) {
            requireOpen();
            ensureFresh();
            // primitives are made for the thread count they will run with
            int threads = WorkEstimate.threadsFor(graph(), inputShapes, backend().threads());
            backend().useThreads(threads);
            return new CpuGraphCompiler(this).compile(inputShapes, threads);
        }
    }

    /** The slot of a parameter used as the store holds it (plain row-major, any dims of the same bytes). */
    int directSlot(String parameter) {
        synchronized (lock) {
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i).entry == null && slots.get(i).parameter.equals(parameter)) {
                    return i;
                }
            }
            slots.add(new Slot(parameter, null));
            return slots.size() - 1;
        }
    }

    /**
     * The slot of a weight in the layout {@code wanted}: made by {@code derive} from {@code sources}
     * (null derive: the single source), described by {@code userMd}, reordered into {@code wanted}.
     * Made once per (key, layout), shared by every executable that asks.
     */
    int cachedSlot(String key, List<String> sources, Function<List<Tensor>, Tensor> derive, MemorySegment userMd,
                   MemorySegment wanted) {
        synchronized (lock) {
            requireOpen();
            for (int i = 0; i < slots.size(); i++) {
                Entry e = slots.get(i).entry;
                if (e != null && e.key.equals(key) && DnnlHandles.sameLayout(e.md, wanted)) {
                    return i;
                }
            }
            MemorySegment md = handles.cloneMd(wanted);
            long size = DnnlHandles.size(md);
            Entry e = new Entry(key, List.copyOf(sources), derive, handles.cloneMd(userMd), md,
                    arena.allocate(Math.max(64, size), 64));
            make(e);
            entries.add(e);
            cacheBytes += size;
            slots.add(new Slot(null, e));
            return slots.size() - 1;
        }
    }

    /** Whether some executable reads this parameter straight from the store. */
    boolean readsDirectly(String parameter) {
        synchronized (lock) {
            return slots.stream().anyMatch(s -> s.entry == null && s.parameter.equals(parameter));
        }
    }

    /** The layouts a parameter is already cached in, oldest first (copies the caller owns via the compiler's handles). */
    List<MemorySegment> cachedLayouts(String key) {
        synchronized (lock) {
            List<MemorySegment> mds = new ArrayList<>();
            for (Entry e : entries) {
                if (e.key.equals(key)) {
                    mds.add(e.md);
                }
            }
            return mds;
        }
    }

    /** The bytes of a slot now (a store tensor may have been replaced by a put). */
    MemorySegment slotData(int slot) {
        synchronized (lock) {
            requireOpen();
            Slot s = slots.get(slot);
            return s.entry != null ? s.entry.data : store.get(s.parameter).host().segment();
        }
    }

    /**
     * Brings the cache up to the store's version if it moved; returns the generation, which
     * changes whenever a context must look up its weight buffers again. Cheap when nothing changed.
     */
    long ensureFresh() {
        if (closed) {
            throw new IllegalStateException("prepared model is closed");
        }
        if (store.version() == seenVersion) {
            return generation;
        }
        synchronized (lock) {
            requireOpen();
            if (store.version() != seenVersion) {
                store.requireFor(graph); // a put may have brought a tensor of another shape
                store.refreshDerived();
                long v = store.version();
                for (Entry e : entries) {
                    make(e);
                }
                generation++; // before seenVersion: whoever sees the new version sees the new generation
                seenVersion = v;
            }
            return generation;
        }
    }

    private void make(Entry e) {
        if (e.derive == null) {
            reorderNow(e.userMd, store.get(e.sources.get(0)).host().segment(), e.md, e.data);
            return;
        }
        List<Tensor> in = new ArrayList<>();
        for (String s : e.sources) {
            in.add(store.get(s));
        }
        reorderNow(e.userMd, e.derive.apply(in).host().segment(), e.md, e.data);
    }

    /** Bytes held by the weight cache (reordered and derived weights; not the store's own). */
    long weightCacheBytes() {
        synchronized (lock) {
            return cacheBytes;
        }
    }

    /** One line per cached weight: its key and bytes (for tests and "where did the memory go" questions). */
    String describeWeightCache() {
        synchronized (lock) {
            StringBuilder sb = new StringBuilder();
            for (Entry e : entries) {
                sb.append(e.key).append(' ').append(DnnlHandles.size(e.md)).append(" bytes\n");
            }
            return sb.toString();
        }
    }

    private void reorderNow(MemorySegment srcMd, MemorySegment src, MemorySegment dstMd, MemorySegment dst) {
        try (Arena a = Arena.ofConfined(); DnnlHandles temp = new DnnlHandles(); Attr attr = new Attr()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            Dnnl.check(dnnl_reorder_primitive_desc_create(out, srcMd, engine, dstMd, engine, attr.get()),
                    "dnnl_reorder_primitive_desc_create(weights)");
            MemorySegment pd = temp.ownPd(out.get(ValueLayout.ADDRESS, 0));
            MemorySegment prim = temp.primitive(pd);
            MemorySegment from = temp.memory(engine, srcMd, src);
            MemorySegment to = temp.memory(engine, dstMd, dst);
            MemorySegment scratchMd = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md(), 0);
            long scratchBytes = scratchMd.equals(MemorySegment.NULL) ? 0 : DnnlHandles.size(scratchMd);
            MemorySegment args = dev.affect.bindings.dnnl.gen.dnnl_exec_arg_t.allocateArray(3, a);
            ExecArgs.set(args, 0, DNNL_ARG_FROM(), from);
            ExecArgs.set(args, 1, DNNL_ARG_TO(), to);
            if (scratchBytes > 0) {
                ExecArgs.set(args, 2, DNNL_ARG_SCRATCHPAD(), temp.memory(engine, scratchMd, a.allocate(scratchBytes, 64)));
            }
            Dnnl.check(dnnl_primitive_execute(prim, stream, scratchBytes > 0 ? 3 : 2, args),
                    "dnnl_primitive_execute(weights reorder)");
            Dnnl.check(dnnl_stream_wait(stream), "dnnl_stream_wait");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("prepared model is closed");
        }
    }

    /** Idempotent; frees the cache even when destroying a oneDNN object fails. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                handles.close();
            } finally {
                try {
                    Dnnl.check(dnnl_stream_destroy(stream), "dnnl_stream_destroy");
                } finally {
                    arena.close();
                }
            }
        }
    }
}
