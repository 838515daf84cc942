package dev.affect.engine.io;

import dev.affect.engine.InvalidInputException;

/**
 * A state dict does not fit a model: the user's input (field {@code "checkpoint"}), never a bug.
 * {@link #report()} has every difference.
 */
public final class CheckpointMismatchException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** The {@link #field()} of every mismatch. */
    public static final String FIELD = "checkpoint";

    private final transient KeyMatcher.Report report;

    CheckpointMismatchException(String message, KeyMatcher.Report report) {
        super(FIELD, message);
        this.report = report;
    }

    public KeyMatcher.Report report() {
        return report;
    }
}
