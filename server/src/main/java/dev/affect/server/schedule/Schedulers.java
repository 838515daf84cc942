package dev.affect.server.schedule;

import dev.affect.server.metrics.ServerMetrics;
import dev.affect.server.pipeline.ServedPipeline;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/** One {@link FrameScheduler} per pipeline, made on first use and closed when the pipeline is unloaded. */
public final class Schedulers implements AutoCloseable {
    private final SchedulerConfig config;
    private final DecodeBudget budget;
    private final Executor decodePool;
    private final ServerMetrics metrics;
    private final Map<ServedPipeline, FrameScheduler> byPipeline = new IdentityHashMap<>();
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
        return byPipeline.computeIfAbsent(pipeline, p -> new FrameScheduler(p, config, budget, decodePool, metrics));
    }

    /** Answers the pipeline's queued frames, then closes its scheduler. */
    public void unloaded(ServedPipeline pipeline) {
        FrameScheduler s;
        synchronized (this) {
            s = byPipeline.remove(pipeline);
        }
        if (s != null) {
            s.close();
        }
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
