package dev.affect.server.jobs;

import java.util.List;
import java.util.Objects;

/**
 * Something that happened to a job, with the job as it was right after.
 *
 * @param metrics training metrics for PROGRESS, validation metrics for EPOCH, none otherwise
 * @param dropped events the watcher missed just before this one (set on delivery)
 */
public record JobEvent(Kind kind, JobRecord job, List<MetricPoint> metrics, long dropped) {
    public enum Kind {
        /** The job when the watch began; always first. */
        SNAPSHOT,
        STATE,
        PROGRESS,
        EPOCH
    }

    public JobEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(job, "job");
        metrics = List.copyOf(metrics);
    }

    public JobEvent(Kind kind, JobRecord job, List<MetricPoint> metrics) {
        this(kind, job, metrics, 0);
    }

    /** True for the event that ends a watch: the job reached a terminal state. */
    public boolean last() {
        return job.state().terminal();
    }

    JobEvent withDropped(long n) {
        return new JobEvent(kind, job, metrics, n);
    }
}
