package dev.affect.server.jobs;

/** The loss stopped being finite: the job ends FAILED, reporting where. */
public final class JobDivergedException extends RuntimeException {
    private final int epoch;
    private final long step;

    public JobDivergedException(int epoch, long step, String message) {
        super(message);
        this.epoch = epoch;
        this.step = step;
    }

    /** The epoch (1-based) the step belongs to. */
    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }
}
