package dev.affect.server.jobs;

/** Too many jobs are waiting for the executor (RESOURCE_EXHAUSTED). */
public final class JobQueueFullException extends RuntimeException {
    public JobQueueFullException(String message) {
        super(message);
    }
}
