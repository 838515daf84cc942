package dev.affect.server.jobs;

/** A state change the job state machine does not allow (a bug in the caller, not the client's fault). */
public final class IllegalJobTransitionException extends IllegalStateException {
    public IllegalJobTransitionException(JobState from, JobState to) {
        super("a job cannot go from " + from + " to " + to);
    }
}
