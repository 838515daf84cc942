package dev.affect.engine.io;

/** A state dict does not fit a model; {@link #report()} has every difference. */
public final class CheckpointMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient KeyMatcher.Report report;

    CheckpointMismatchException(String message, KeyMatcher.Report report) {
        super(message);
        this.report = report;
    }

    public KeyMatcher.Report report() {
        return report;
    }
}
