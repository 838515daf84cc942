package dev.affect.engine.model.heads;

import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.PreparedModel;
import dev.affect.engine.backend.TensorSpec;
import dev.affect.engine.graph.Graph;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One executable compiled ahead of time for a fixed batch size, with a pool of workers (an
 * execution context and its bound buffers each). A call borrows a worker and gives it back, so
 * calls on different threads run concurrently without a lock; a worker is made when every pooled
 * one is busy. The pool is a fixed array of slots taken and returned by compare-and-set, so borrowing
 * allocates nothing. Buffers live in the head's scope.
 */
final class Bucket implements AutoCloseable {
    private final int size;
    private final Executable executable;
    private final TensorScope scope;
    /** Idle workers kept for reuse; a worker returned when every slot is full is kept only in {@link #all}. */
    static final int POOL_SLOTS = Math.max(16, 2 * Runtime.getRuntime().availableProcessors());
    private final AtomicReferenceArray<Worker> idle = new AtomicReferenceArray<>(POOL_SLOTS);
    private final List<Worker> all = new ArrayList<>();
    private volatile boolean closed;

    /**
     * A context whose every input and output is bound to a buffer of its own, with row views of each
     * buffer made once (so gathering and scattering rows allocates no native memory).
     */
    static final class Worker {
        final ExecutionContext context;
        private final Map<String, Tensor> buffers = new HashMap<>();
        private final Map<String, Tensor[]> rows = new HashMap<>();
        private final Map<String, Tensor[]> prefixes = new HashMap<>();

        Worker(Executable executable, TensorScope scope) {
            this.context = executable.newContext();
            try {
                List<TensorSpec> specs = new ArrayList<>(executable.signature().inputs());
                specs.addAll(executable.signature().outputs());
                for (TensorSpec s : specs) {
                    Tensor t = scope.allocate(s.dtype(), s.shape());
                    context.bind(s.name(), t);
                    buffers.put(s.name(), t);
                    Tensor[] r = new Tensor[s.shape().dim(0)];
                    Tensor[] p = new Tensor[s.shape().dim(0) + 1];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = t.slice(i, i + 1);
                        p[i + 1] = t.slice(0, i + 1);
                    }
                    rows.put(s.name(), r);
                    prefixes.put(s.name(), p);
                }
            } catch (RuntimeException e) {
                context.close();
                throw e;
            }
        }

        /** The whole buffer bound to an input or output. */
        Tensor buffer(String name) {
            Tensor t = buffers.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no buffer " + name + "; have " + buffers.keySet());
            }
            return t;
        }

        /** Row i of a buffer, a view made once. */
        Tensor row(String name, int i) {
            return rows.get(name)[i];
        }

        /** Rows [0, n) of a buffer, a view made once. */
        Tensor first(String name, int n) {
            return prefixes.get(name)[n];
        }
    }

    private Bucket(int size, Executable executable, TensorScope scope) {
        this.size = size;
        this.executable = executable;
        this.scope = scope;
    }

    /** Compiles the prepared graph at batch size n (every symbolic dimension resolved at n). */
    static Bucket compile(PreparedModel model, int n, TensorScope scope) {
        Graph g = model.graph();
        Executable e = model.compile(g.inputShapesAt(n));
        Bucket b = new Bucket(n, e, scope);
        try {
            b.release(b.newWorker());
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        return b;
    }

    int size() {
        return size;
    }

    Executable executable() {
        return executable;
    }

    private Worker newWorker() {
        Worker w = new Worker(executable, scope);
        synchronized (all) {
            all.add(w);
        }
        return w;
    }

    Worker acquire() {
        if (closed) {
            throw new IllegalStateException("head is closed");
        }
        for (int i = 0; i < POOL_SLOTS; i++) {
            Worker w = idle.get(i) == null ? null : idle.getAndSet(i, null);
            if (w != null) {
                return w;
            }
        }
        return newWorker();
    }

    void release(Worker w) {
        for (int i = 0; i < POOL_SLOTS; i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, w)) {
                return;
            }
        }
    }

    /** Closes every context, then the executable. Calls must have finished. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (all) {
            for (Worker w : all) {
                w.context.close();
            }
            all.clear();
        }
        for (int i = 0; i < POOL_SLOTS; i++) {
            idle.set(i, null);
        }
        executable.close();
    }

    /** The smallest bucket that holds n rows, or the largest when none does (the caller then splits). */
    static Bucket fitting(List<Bucket> ascending, int n) {
        for (int i = 0; i < ascending.size(); i++) {
            if (ascending.get(i).size >= n) {
                return ascending.get(i);
            }
        }
        return ascending.get(ascending.size() - 1);
    }

    /** The largest bucket of at most n rows (the first when none is that small). */
    static Bucket largestWithin(List<Bucket> ascending, int n) {
        Bucket best = ascending.get(0);
        for (int i = 0; i < ascending.size(); i++) {
            if (ascending.get(i).size <= n) {
                best = ascending.get(i);
            }
        }
        return best;
    }

    /** Rows [from, to) of a caller's tensor: the tensor itself when that is all of it (no view made). */
    static Tensor rows(Tensor t, int from, int to) {
        return from == 0 && to == t.shape().dim(0) ? t : t.slice(from, to);
    }

    static void closeAll(List<Bucket> buckets) {
        for (Bucket b : buckets) {
            b.close();
        }
    }
}
