package dev.affect.server.oip;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.affect.engine.model.heads.HeadState;
import dev.affect.engine.model.heads.LstmHead;
import dev.affect.engine.tensor.TensorScope;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The live sequences of stateful (LSTM head) models, keyed by (model, sequence_id), with Triton's
 * rules: START creates the state or restarts a live one from zero, a request without START needs a
 * live sequence, END frees it after its answer, and a sequence idle longer than the timeout is
 * forgotten (nobody is told, as in Triton).
 *
 * <p>Thread-safe. Each {@link Sequence} has a lock held for the whole of one request, so requests of
 * one sequence never run at once; its (h, c) lives in the sequence's own scope, freed when it ends,
 * times out or its model is unloaded, never under a running request.
 */
final class SequenceStore implements AutoCloseable {
    /** A sequence id: a non-zero int64 ({@link Long}) or a non-empty string. */
    record Key(String model, Object id) {
        @Override
        public String toString() {
            return String.valueOf(id);
        }
    }

    /** One live sequence; lock it around every use. */
    static final class Sequence {
        final ReentrantLock lock = new ReentrantLock();
        private final TensorScope scope = new TensorScope();
        final HeadState state;
        private boolean closed;

        Sequence(LstmHead head) {
            this.state = head.newState(scope);
        }

        /** Whether it was freed (ended, timed out, unloaded): the holder of the lock must not use it. */
        boolean closed() {
            return closed;
        }

        /** Frees the state, waiting for a request using it. Idempotent. */
        void close() {
            lock.lock();
            try {
                if (!closed) {
                    closed = true;
                    scope.close();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private final Cache<Key, Sequence> live;
    private final int max;

    SequenceStore(Duration idle, int max) {
        this.max = max;
        this.live = Caffeine.newBuilder()
                .expireAfterAccess(idle)
                .scheduler(Scheduler.systemScheduler())
                .removalListener((Key k, Sequence s, RemovalCause cause) -> {
                    if (s != null) {
                        s.close();
                    }
                })
                .build();
    }

    /**
     * The sequence a request continues, locked by the caller's thread; the caller unlocks it.
     *
     * @param start whether the request carries START: a live sequence restarts from zero, an unknown one is created
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT without START for an unknown id,
     *         RESOURCE_EXHAUSTED when a new sequence would exceed the cap
     */
    Sequence acquire(Key key, LstmHead head, boolean start) {
        while (true) {
            Sequence s = live.getIfPresent(key);
            if (s == null) {
                if (!start) {
                    throw OipErrors.invalid("inference request for sequence " + key + " to model '" + key.model()
                            + "' must specify the START flag on the first request of the sequence");
                }
                s = create(key, head);
            }
            s.lock.lock();
            if (s.closed() || s.state.head() != head) {
                // freed (timed out, unloaded) or of a head since replaced between the lookup and the lock
                s.lock.unlock();
                live.asMap().remove(key, s);
                continue; // now unknown: refused without START, created anew with it
            }
            if (start) {
                s.state.reset();
            }
            return s;
        }
    }

    private Sequence create(Key key, LstmHead head) {
        if (live.estimatedSize() >= max) {
            live.cleanUp();
            if (live.estimatedSize() >= max) {
                throw Status.RESOURCE_EXHAUSTED.withDescription("too many live sequences: the limit is " + max
                        + "; end sequences with sequence_end or wait for idle ones to time out").asRuntimeException();
            }
        }
        Sequence fresh = new Sequence(head);
        Sequence prior = live.asMap().putIfAbsent(key, fresh);
        if (prior != null) {
            fresh.close();
            return prior;
        }
        return fresh;
    }

    /** Forgets a sequence after its END request (call holding its lock). */
    void end(Key key, Sequence s) {
        live.asMap().remove(key, s);
        s.close();
    }

    /** Forgets every sequence of the models matching {@code model} (their pipeline was unloaded). */
    void dropModels(Predicate<String> model) {
        live.asMap().keySet().removeIf(k -> model.test(k.model()));
    }

    /** Live sequences (those timed out but not yet swept may count). */
    long size() {
        live.cleanUp();
        return live.estimatedSize();
    }

    @Override
    public void close() {
        live.invalidateAll();
        live.cleanUp();
    }
}
