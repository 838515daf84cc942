package dev.affect.server.app;

import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.Schedulers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Frees pipelines that a promotion replaced. A replaced pipeline keeps serving its open sessions, so
 * its frame scheduler (which holds a reference to it) must outlive them; once the scheduler's is the
 * only reference left, nobody can reach the pipeline any more, and closing the scheduler lets it close.
 */
final class ReplacedPipelineReaper implements AutoCloseable {
    private static final long PERIOD_MS = 1000;

    private final Schedulers schedulers;
    private final List<ServedPipeline> replaced = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("affect-reaper").daemon(true).factory());

    ReplacedPipelineReaper(Schedulers schedulers) {
        this.schedulers = schedulers;
        timer.scheduleWithFixedDelay(this::reap, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    void replaced(ServedPipeline old) {
        replaced.add(old);
    }

    private void reap() {
        for (ServedPipeline p : replaced) {
            if (!p.isOpen()) {
                replaced.remove(p);
            } else if (p.references() == 1 && schedulers.existing(p).isPresent()) {
                schedulers.unloaded(p);
                replaced.remove(p);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
