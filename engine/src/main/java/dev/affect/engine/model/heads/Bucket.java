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
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One executable compiled ahead of time for a fixed batch size, with a pool of workers (an
 * execution context and its bound buffers each). A call borrows a worker and gives it back, so
 * calls on different threads run concurrently without a lock; the pool grows to the number of
 * threads that ever ran at once. Buffers live in the head's scope.
 */
final class Bucket implements AutoCloseable {
    private final int size;
    private final Executable executable;
    private final TensorScope scope;
    private final ConcurrentLinkedQueue<Worker> idle = new ConcurrentLinkedQueue<>();
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
                    for (int i = 0; i < r.length; i++) {
                        r[i] = t.slice(i, i + 1);
                    }
                    rows.put(s.name(), r);
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
            b.idle.add(b.newWorker());
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
        Worker w = idle.poll();
        return w != null ? w : newWorker();
    }

    void release(Worker w) {
        idle.add(w);
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
        idle.clear();
        executable.close();
    }

    /** The smallest bucket that holds n rows, or the largest when none does (the caller then splits). */
    static Bucket fitting(List<Bucket> ascending, int n) {
        for (Bucket b : ascending) {
            if (b.size >= n) {
                return b;
            }
        }
        return ascending.get(ascending.size() - 1);
    }

    /** The largest bucket of at most n rows (the first when none is that small). */
    static Bucket largestWithin(List<Bucket> ascending, int n) {
        Bucket best = ascending.get(0);
        for (Bucket b : ascending) {
            if (b.size <= n) {
                best = b;
            }
        }
        return best;
    }

    static void closeAll(List<Bucket> buckets) {
        for (Bucket b : buckets) {
            b.close();
        }
    }
}
