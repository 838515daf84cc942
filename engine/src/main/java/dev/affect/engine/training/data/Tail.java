package dev.affect.engine.training.data;

/**
 * What happens to the frames after the last full window of a video (and to a video shorter than a
 * window, which is always {@link #PAD}ded).
 */
public enum Tail {
    /**
     * One more full window ending at the video's last frame, overlapping the one before: every frame
     * is trained on and every window is full (training).
     */
    ALIGN_END,
    /**
     * One more window starting after the last full one, its missing frames masked padding: every
     * frame in exactly one window when the stride equals the length (evaluation).
     */
    PAD
}
