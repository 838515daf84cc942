package dev.affect.server.jobs;

/** The job is not in a state that allows the request, e.g. promoting one that has not succeeded (FAILED_PRECONDITION). */
public final class JobPreconditionException extends RuntimeException {
    public JobPreconditionException(String message) {
        super(message);
    }
}
