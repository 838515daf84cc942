package dev.affect.server.jobs;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a training job (Ray, Kubeflow and Vertex use the same five states). Only the
 * transitions {@link #canMoveTo} allows happen; the terminal states have none.
 */
public enum JobState {
    /** Queued, or waiting to resume after a restart. */
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** True for SUCCEEDED, FAILED and CANCELLED: nothing happens to the job any more. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /**
     * Whether a job in this state may move to {@code next}. RUNNING may go back to PENDING: a job
     * found running on disk at startup was interrupted by the server's end and is queued to resume.
     */
    public boolean canMoveTo(JobState next) {
        return successors().contains(next);
    }

    private Set<JobState> successors() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, CANCELLED, FAILED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, PENDING);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobState.class);
        };
    }
}
