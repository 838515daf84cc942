package dev.affect.engine.model.ddamfn;

import dev.affect.engine.backend.Executable;
import dev.affect.engine.backend.ExecutionContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The execution contexts of one executable, lent to one caller at a time. Contexts are made on
 * demand up to {@code limit}; beyond that, {@link #borrow()} waits for one to come back. Closing
 * wakes waiters (who then fail), waits for borrowed contexts to return, and closes them all.
 */
final class ContextPool implements AutoCloseable {
    private final Executable executable;
    private final int limit;
    private final ArrayDeque<ExecutionContext> idle = new ArrayDeque<>();
    private final List<ExecutionContext> all = new ArrayList<>();
    private int lent;
    private boolean closed;

    ContextPool(Executable executable, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a context pool needs a limit of at least 1, got " + limit);
        }
        this.executable = executable;
        this.limit = limit;
    }

    Executable executable() {
        return executable;
    }

    /** An idle context, a new one while fewer than the limit exist, else waits for one. */
    ExecutionContext borrow() {
        synchronized (this) {
            while (true) {
                requireOpen();
                ExecutionContext c = idle.poll();
                if (c != null) {
                    lent++;
                    return c;
                }
                if (all.size() < limit) {
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for an execution context", e);
                }
            }
            lent++;
            all.add(null); // reserves the slot while the context is made outside the lock
        }
        ExecutionContext made = null;
        try {
            made = executable.newContext();
            return made;
        } finally {
            synchronized (this) {
                all.remove(null);
                if (made != null) {
                    all.add(made);
                } else {
                    lent--;
                    notifyAll();
                }
            }
        }
    }

    void giveBack(ExecutionContext c) {
        synchronized (this) {
            lent--;
            idle.push(c);
            notifyAll();
        }
    }

    /** Contexts made so far. */
    synchronized int size() {
        return (int) all.stream().filter(c -> c != null).count();
    }

    @Override
    public void close() {
        List<ExecutionContext> toClose;
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
        for (ExecutionContext c : toClose) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }
}
