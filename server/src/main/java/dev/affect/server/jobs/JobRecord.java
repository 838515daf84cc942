package dev.affect.server.jobs;

import java.util.Objects;

/** A job: its id, what it was asked to do and where it stands; what {@code job.json} holds. */
public record JobRecord(String id, JobSpec spec, JobStatus status) {
    public JobRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
    }

    public JobRecord with(JobStatus next) {
        return new JobRecord(id, spec, next);
    }

    public JobState state() {
        return status.state();
    }
}
