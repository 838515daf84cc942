package dev.affect.server.stream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.FrameScheduler;
import dev.affect.server.schedule.ModelNotFoundException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The server's sessions: a Caffeine cache capped in count (opening beyond the cap is refused, never
 * an eviction of someone else's session), expiring after an idle window on the system scheduler so
 * expiry happens without traffic. A session expiring while a stream is attached is announced to the
 * stream (EVICTED, then ABORTED). Thread-safe.
 */
public final class SessionStore implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int maxSessions;
    private final Duration idleTimeout;
    private final Cache<String, Session> cache;
    /** Pipelines whose sessions were evicted on unload: no session opens on them any more (guarded by this). */
    private final Set<ServedPipeline> unloaded = Collections.newSetFromMap(new WeakHashMap<>());

    public SessionStore(int maxSessions, Duration idleTimeout) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
        }
        this.maxSessions = maxSessions;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.cache = Caffeine.newBuilder()
                .expireAfterAccess(idleTimeout)
                .scheduler(Scheduler.systemScheduler())
                .<String, Session>removalListener((id, session, cause) -> {
                    if (session != null && cause != RemovalCause.EXPLICIT && cause != RemovalCause.REPLACED) {
                        drop(session, "session " + id + " was idle for " + idleTimeout.toMillis() + " ms");
                    }
                })
                .build();
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public int maxSessions() {
        return maxSessions;
    }

    /** Sessions held (attached or idle within their window). */
    public int size() {
        cache.cleanUp();
        return cache.asMap().size();
    }

    /**
     * Opens a new session attached to {@code call}.
     *
     * @throws SessionLimitException when the store is full
     * @throws ModelNotFoundException when the pipeline was unloaded meanwhile
     */
    public synchronized Session open(ServedPipeline pipeline, FrameScheduler scheduler, SessionSettings settings,
            Session.Attachment call) {
        if (unloaded.contains(pipeline)) {
            throw new ModelNotFoundException("pipeline '" + pipeline.name() + "' was unloaded");
        }
        if (size() >= maxSessions) {
            throw new SessionLimitException("the server holds its maximum of " + maxSessions + " sessions; retry later");
        }
        if (!pipeline.acquire()) {
            throw new ModelNotFoundException("pipeline '" + pipeline.name() + "' is being unloaded");
        }
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        Session s;
        try {
            s = new Session(HexFormat.of().formatHex(bytes), pipeline, scheduler, settings);
        } catch (RuntimeException e) {
            pipeline.release();
            throw e;
        }
        s.attach(call);
        cache.put(s.id(), s);
        return s;
    }

    /**
     * Attaches {@code call} to an idle session.
     *
     * @throws SessionNotFoundException naming the id when it is unknown or expired
     * @throws SessionBusyException when another stream holds it
     */
    public Session resume(String id, Session.Attachment call) {
        Session s = cache.getIfPresent(id);
        if (s == null) {
            throw new SessionNotFoundException("session '" + id + "' is unknown or has expired (idle window "
                    + idleTimeout.toMillis() + " ms)");
        }
        if (!s.attach(call)) {
            throw new SessionBusyException("session '" + id + "' is attached to another stream");
        }
        return s;
    }

    /** Marks the session used now (its idle window restarts). */
    public void touch(Session s) {
        cache.getIfPresent(s.id());
    }

    /** Ends a session: forgotten at once, its state freed once in-flight frames are done. */
    public void end(Session s) {
        cache.asMap().remove(s.id(), s);
        s.free();
    }

    /**
     * Drops every session of an unloaded pipeline, announcing it to attached streams, and refuses new
     * sessions on it from now on (a stream that resolved the pipeline just before the unload gets
     * NOT_FOUND instead of a session whose frames could never run).
     */
    public void evictPipeline(ServedPipeline pipeline) {
        List<Session> doomed = new ArrayList<>();
        synchronized (this) { // after this, open() refuses the pipeline, and every session it opened is in the cache
            unloaded.add(pipeline);
            for (Session s : List.copyOf(cache.asMap().values())) {
                if (s.pipeline() == pipeline && cache.asMap().remove(s.id(), s)) {
                    doomed.add(s);
                }
            }
        }
        // outside the store's lock: an attached call's lock is taken while it may be waiting in open()
        for (Session s : doomed) {
            drop(s, "pipeline '" + pipeline.name() + "' was unloaded");
        }
    }

    private static void drop(Session s, String message) {
        Session.Attachment call = s.takeAttachment();
        if (call != null) {
            call.evicted(message);
        }
        s.free();
    }

    /** Drops every session (their streams are ended by the server's shutdown first). */
    @Override
    public void close() {
        for (Session s : List.copyOf(cache.asMap().values())) {
            if (cache.asMap().remove(s.id(), s)) {
                s.free();
            }
        }
    }
}
