package dev.affect.engine.training.loss;

import java.util.Arrays;

/**
 * Which frames (rows) of a batch carry a valid label. ABAW windows contain frames whose annotation
 * is invalid (-5 for VA, -1 for EXPR and AU); the losses average over the valid frames only and give
 * the others no gradient.
 */
public final class FrameMask {
    private final boolean[] valid;
    private final int count;

    private FrameMask(boolean[] valid) {
        this.valid = valid;
        int c = 0;
        for (boolean v : valid) {
            c += v ? 1 : 0;
        }
        this.count = c;
    }

    /** Every one of n frames valid: the losses' plain definitions. */
    public static FrameMask all(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("frame count must be >= 0, got " + n);
        }
        boolean[] v = new boolean[n];
        Arrays.fill(v, true);
        return new FrameMask(v);
    }

    /** Frame i valid where {@code valid[i]} (copied). */
    public static FrameMask of(boolean[] valid) {
        return new FrameMask(valid.clone());
    }

    /** Frames in the batch, valid or not. */
    public int size() {
        return valid.length;
    }

    /** Valid frames. */
    public int count() {
        return count;
    }

    public boolean isValid(int frame) {
        return valid[frame];
    }

    /** Checks that the mask covers exactly {@code frames} rows of a loss input. */
    void requireSize(int frames, String what) {
        if (frames != valid.length) {
            throw new IllegalArgumentException(what + " has " + frames + " frames, the mask " + valid.length);
        }
    }
}
