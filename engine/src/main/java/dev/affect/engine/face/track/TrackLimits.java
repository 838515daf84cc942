package dev.affect.engine.face.track;

import dev.affect.engine.InvalidInputException;

/**
 * When a detection continues a track and when a track is given up, shared by the trackers.
 *
 * @param minIou IoU a detection must exceed to continue a track, in [0, 1)
 * @param maxMissedFrames consecutive frames without its face after which a track is forgotten (0: at once)
 */
record TrackLimits(double minIou, int maxMissedFrames) {
    TrackLimits {
        if (!(minIou >= 0 && minIou < 1)) {
            throw new InvalidInputException("min_iou", "must be in [0, 1), got " + minIou);
        }
        if (maxMissedFrames < 0) {
            throw new InvalidInputException("max_missed_frames", "must be >= 0, got " + maxMissedFrames);
        }
    }
}
