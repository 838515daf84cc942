package dev.affect.engine.training.data;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawTask;

/**
 * How a video's frames are cut into training windows: {@code length} consecutive frames, a new
 * window every {@code stride} frames (stride below length makes windows overlap).
 */
public record WindowSpec(int length, int stride) {
    /** The paper's window length. */
    public static final int DEFAULT_LENGTH = 10;
    /** Upper bound on a window, so a typo cannot ask for one batch of a whole video. */
    public static final int MAX_LENGTH = 4096;

    /** @throws InvalidInputException naming {@code window} or {@code stride} when either is out of range */
    public WindowSpec {
        if (length < 1 || length > MAX_LENGTH) {
            throw new InvalidInputException("window", "must be in 1.." + MAX_LENGTH + ", got " + length);
        }
        if (stride < 1 || stride > length) {
            throw new InvalidInputException("stride", "must be in 1..window (" + length + "), got " + stride);
        }
    }

    /** Length 10, stride 10; EXPR stride 5 (overlapping windows give the rarer classes more samples). */
    public static WindowSpec defaultsFor(AbawTask task) {
        return new WindowSpec(DEFAULT_LENGTH, task == AbawTask.EXPR ? DEFAULT_LENGTH / 2 : DEFAULT_LENGTH);
    }

    /** Non-overlapping windows of this length: every frame in exactly one window (for evaluation). */
    public WindowSpec tiling() {
        return new WindowSpec(length, length);
    }
}
