package dev.affect.server.jobs;

/** Thrown by a runner that stopped because {@link JobContext#stopRequested()} turned true. */
public final class JobCancelledException extends RuntimeException {
    public JobCancelledException(String message) {
        super(message);
    }
}
