package dev.affect.server.jobs;

import java.nio.file.Path;
import java.util.Map;

/** What a {@link JobRunner} gets: the job, its folder, a way to report progress, and cancellation. */
public interface JobContext {
    String jobId();

    /** The job's spec, defaults filled in and paths confirmed. */
    JobSpec spec();

    /** The job's own folder for checkpoints; it exists, and holds the previous run's files on a resume. */
    Path runDir();

    /** Steps of the whole job, when the runner knows them (improves the ETA); optional. */
    void totalSteps(long steps);

    /** A training step's metrics (e.g. "loss"); {@code step} counts across epochs and never decreases. */
    void step(long step, Map<String, Double> metrics);

    /**
     * An epoch ended and its checkpoint is on disk: the job's progress is saved with it, so that a
     * restart reports the epoch it resumes from.
     *
     * @param epoch epochs finished, 1-based
     */
    void epochEnded(int epoch, long step, Map<String, Double> validationMetrics);

    /** True once the job should stop (cancelled, or the server is shutting down). */
    boolean stopRequested();

    /** Throws {@link JobCancelledException} once the job should stop; call it between steps. */
    default void checkStop() {
        if (stopRequested()) {
            throw new JobCancelledException("stop requested");
        }
    }
}
