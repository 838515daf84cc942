package dev.affect.engine.training;

import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.training.loss.FrameMask;

/**
 * One batch's labels, one row per frame in the outputs' row order (b*T + t for windows), and which
 * frames have a valid label.
 *
 * @param labels VA f32 [.., 2], EXPR int64 [..] class indices, AU f32 [.., 12] of 0/1
 * @param mask   the valid frames, or null for all of them
 */
public record FrameTargets(Tensor labels, FrameMask mask) {

    /** Every frame valid. */
    public static FrameTargets unmasked(Tensor labels) {
        return new FrameTargets(labels, null);
    }

    /** The mask for a batch of this many frames (all valid when none was given). */
    public FrameMask maskFor(int frames) {
        return mask == null ? FrameMask.all(frames) : mask;
    }
}
