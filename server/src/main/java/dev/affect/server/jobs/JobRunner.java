package dev.affect.server.jobs;

/**
 * Trains what a job asks for. The job manager calls it on a job thread and turns its outcome into
 * the job's final state: a result is SUCCEEDED, {@link JobCancelledException} CANCELLED,
 * {@link JobDivergedException} FAILED with the step, anything else FAILED with its message.
 *
 * <p>A runner writes its checkpoints into {@link JobContext#runDir()} atomically, one per epoch, and
 * when called for a job that already has some there (after a server restart) continues from the
 * last one; the same spec and seed must end with the same weights whether or not it was interrupted.
 */
@FunctionalInterface
public interface JobRunner {
    JobResult run(JobContext context) throws Exception;

    /**
     * Refuses, before the job is queued, a spec this runner cannot train, so that the client hears
     * of it from StartJob rather than from a job that fails later. Accepts everything by default.
     *
     * @param spec normalized, paths confirmed
     * @throws dev.affect.engine.InvalidInputException naming the request field
     * @throws JobPreconditionException                for a kind of job this runner does not do
     */
    default void check(JobSpec spec) {
    }
}
