package dev.affect.server.schedule;

import dev.affect.server.metrics.ServerMetrics;
import dev.affect.server.pipeline.ServedPipeline;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;

/** One {@link FrameScheduler} per pipeline, made on first use and closed when the pipeline is unloaded. */
public final class Schedulers implements AutoCloseable {
    private final SchedulerConfig config;
    private final DecodeBudget budget;
    private final Executor decodePool;
    private final ServerMetrics metrics;
    private final Map<ServedPipeline, FrameScheduler> byPipeline = new IdentityHashMap<>();
    /** Pipelines unloaded: never given a scheduler again, even while in-flight users keep them open. */
    private final Set<ServedPipeline> unloaded = Collections.newSetFromMap(new WeakHashMap<>());
    private boolean closed;

    public Schedulers(SchedulerConfig config, DecodeBudget budget, Executor decodePool, ServerMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.decodePool = Objects.requireNonNull(decodePool, "decodePool");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public DecodeBudget budget() {
        return budget;
    }

    /**
     * The pipeline's scheduler.
     *
     * @throws ServerUnavailableException when shutting down or the pipeline is retired
     */
    public synchronized FrameScheduler of(ServedPipeline pipeline) {
        if (closed) {
            throw new ServerUnavailableException("the server is shutting down");
        }
        if (unloaded.contains(pipeline)) {
            throw new ModelNotFoundException("pipeline '" + pipeline.name() + "' was unloaded");
        }
        return byPipeline.computeIfAbsent(pipeline, p -> new FrameScheduler(p, config, budget, decodePool, metrics));
    }

    /**
     * Closes the pipeline's scheduler without waiting: it refuses frames at once, and its device
     * thread answers the frames already queued, then frees its buffers and releases the pipeline
     * (so an UnloadModel handler never blocks on in-flight frames).
     */
    public void unloaded(ServedPipeline pipeline) {
        FrameScheduler s;
        synchronized (this) {
            unloaded.add(pipeline);
            s = byPipeline.remove(pipeline);
        }
        if (s != null) {
            s.closeAsync();
        }
    }

    /** The pipeline's scheduler if one was made and is not closed (for tests and metrics); never makes one. */
    public synchronized java.util.Optional<FrameScheduler> existing(ServedPipeline pipeline) {
        return java.util.Optional.ofNullable(byPipeline.get(pipeline));
    }

    @Override
    public void close() {
        List<FrameScheduler> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(byPipeline.values());
            byPipeline.clear();
        }
        all.forEach(FrameScheduler::close);
    }
}
