package dev.affect.engine.model.ddamfn;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.ExecutionContext;
import dev.affect.engine.backend.Workspace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers of a model, each lent to one caller at a time. A worker runs one execution at a time,
 * so it owns one {@link Workspace}, as large as the largest executable needs, and places on it one
 * execution context per executable it has run (made on first use): its memory is the largest
 * bucket's rather than the sum over buckets. Workers are made on demand up to {@code limit}; beyond
 * that, {@link #borrow()} waits for one to come back. Closing wakes waiters (who then fail), waits
 * for borrowed workers to return, and closes every context, then every workspace.
 */
final class WorkerPool implements AutoCloseable {

    /** One worker: a workspace and the contexts placed on it, used by one thread at a time. */
    static final class Worker {
        private final Workspace workspace;
        private final Map<Integer, Executable> executables;
        private final Map<Integer, ExecutionContext> contexts = new HashMap<>();
        private final AtomicInteger contextCount;

        private Worker(Workspace workspace, Map<Integer, Executable> executables, AtomicInteger contextCount) {
            this.workspace = workspace;
            this.executables = executables;
            this.contextCount = contextCount;
        }

        /** This worker's context for the executable under {@code key}, made on its workspace on first use. */
        ExecutionContext context(int key) {
            ExecutionContext c = contexts.get(key);
            if (c == null) {
                Executable exe = executables.get(key);
                if (exe == null) {
                    throw new IllegalArgumentException("no executable for " + key);
                }
                c = exe.newContext(workspace);
                contexts.put(key, c);
                contextCount.incrementAndGet();
            }
            return c;
        }

        /** Its contexts, then its workspace, each even when one before failed; the first failure is thrown. */
        private void close() {
            RuntimeException first = null;
            for (ExecutionContext c : contexts.values()) {
                first = closeCollecting(c, first);
            }
            contexts.clear();
            first = closeCollecting(workspace, first);
            if (first != null) {
                throw first;
            }
        }
    }

    private final Backend backend;
    private final Map<Integer, Executable> executables;
    private final long workspaceBytes;
    private final int limit;
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final List<Worker> all = new ArrayList<>();
    private final AtomicInteger contextCount = new AtomicInteger();
    /** Workers being made outside the lock. */
    private int making;
    private int lent;
    private boolean closed;

    /** Workers for these executables (by key); makes nothing until the first {@link #borrow()}. */
    WorkerPool(Backend backend, Map<Integer, Executable> executables, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a worker pool needs a limit of at least 1, got " + limit);
        }
        this.backend = backend;
        this.executables = Map.copyOf(executables);
        this.workspaceBytes = this.executables.values().stream().mapToLong(Executable::workspaceBytes).max().orElse(0);
        this.limit = limit;
    }

    /** The bytes of each worker's workspace: the largest any executable's context needs. */
    long workspaceBytes() {
        return workspaceBytes;
    }

    /** An idle worker, a new one while fewer than the limit exist, else waits for one. */
    Worker borrow() {
        synchronized (this) {
            while (true) {
                requireOpen();
                Worker w = idle.poll();
                if (w != null) {
                    lent++;
                    return w;
                }
                if (all.size() + making < limit) {
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a worker", e);
                }
            }
            lent++;
            making++; // reserves the slot while the workspace is made outside the lock
        }
        Worker made = null;
        try {
            made = new Worker(backend.newWorkspace(workspaceBytes), executables, contextCount);
            return made;
        } finally {
            synchronized (this) {
                making--;
                if (made != null) {
                    all.add(made);
                } else {
                    lent--;
                }
                notifyAll();
            }
        }
    }

    void giveBack(Worker w) {
        synchronized (this) {
            lent--;
            idle.push(w);
            notifyAll();
        }
    }

    /** Workers (each with one workspace) made so far. */
    synchronized int size() {
        return all.size();
    }

    /** Execution contexts made so far, over all workers. */
    int contextCount() {
        return contextCount.get();
    }

    @Override
    public void close() {
        List<Worker> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
            boolean interrupted = false;
            while (lent > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            toClose = new ArrayList<>(all);
            all.clear();
            idle.clear();
        }
        RuntimeException first = null;
        for (Worker w : toClose) {
            try {
                w.close();
            } catch (RuntimeException e) {
                first = collect(first, e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException closeCollecting(AutoCloseable c, RuntimeException first) {
        try {
            c.close();
        } catch (Exception e) {
            return collect(first, e instanceof RuntimeException r ? r : new IllegalStateException(e));
        }
        return first;
    }

    private static RuntimeException collect(RuntimeException first, RuntimeException e) {
        if (first == null) {
            return e;
        }
        first.addSuppressed(e);
        return first;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }
}
