package dev.affect.engine.face.track;

import dev.affect.engine.InvalidInputException;
import java.util.List;
import java.util.Optional;

/**
 * Picks the one face a stream follows, frame after frame (one tracker per stream; not thread-safe).
 *
 * <p>Rule: the detection that overlaps the last tracked box best, if its IoU exceeds
 * {@code minIou}; otherwise the largest detection, which starts a new track. Ties (equal IoU, or equal
 * area) go to the higher score, then to the earlier detection.
 *
 * <p>A frame without faces returns empty and keeps the last box, so a face hidden for a moment (a
 * blink of the detector, a hand passing) continues its track when it reappears where it was. After
 * more than {@code maxMissedFrames} consecutive empty frames the box is forgotten and the next face
 * starts a new track. A new track means the stream's temporal state (LSTM h/c, smoothing) belongs to
 * someone else now: callers reset it when {@link Selection#newTrack()} is set.
 */
public final class FaceTracker {
    /** Minimum IoU for a detection to continue the track. */
    public static final double DEFAULT_MIN_IOU = 0.3;
    /** Empty frames a lost track is remembered for: half a second at 30 fps. */
    public static final int DEFAULT_MAX_MISSED_FRAMES = 15;

    private final TrackLimits limits;
    private FaceBox last;
    private int missed;
    private long trackId;

    /** The followed detection of a frame: its index in the frame's list, the track's id, and whether it starts one. */
    public record Selection(int index, Detection detection, long trackId, boolean newTrack) {
    }

    public FaceTracker() {
        this(DEFAULT_MIN_IOU, DEFAULT_MAX_MISSED_FRAMES);
    }

    /**
     * @param minIou IoU a detection must exceed to continue the track, in [0, 1)
     * @param maxMissedFrames consecutive empty frames after which the last box is forgotten (0: at once)
     */
    public FaceTracker(double minIou, int maxMissedFrames) {
        this.limits = new TrackLimits(minIou, maxMissedFrames);
    }

    /** Takes one frame's detections (any order) and returns the followed one, or empty when there is none. */
    public Optional<Selection> update(List<Detection> detections) {
        if (detections == null) {
            throw new InvalidInputException("detections", "missing (pass an empty list for a frame without faces)");
        }
        if (detections.isEmpty()) {
            if (last != null && ++missed > limits.maxMissedFrames()) {
                last = null;
                missed = 0;
            }
            return Optional.empty();
        }
        int chosen = -1;
        if (last != null) {
            int best = -1;
            double bestIou = 0;
            for (int i = 0; i < detections.size(); i++) {
                double iou = last.iou(detections.get(i).box());
                if (best < 0 || iou > bestIou || iou == bestIou && detections.get(i).score() > detections.get(best).score()) {
                    best = i;
                    bestIou = iou;
                }
            }
            if (bestIou > limits.minIou()) {
                chosen = best;
            }
        }
        boolean newTrack = chosen < 0;
        if (newTrack) {
            chosen = largest(detections);
            trackId++;
        }
        Detection d = detections.get(chosen);
        last = d.box();
        missed = 0;
        return Optional.of(new Selection(chosen, d, trackId, newTrack));
    }

    /** The last followed box, kept through empty frames until the track is forgotten. */
    public Optional<FaceBox> lastBox() {
        return Optional.ofNullable(last);
    }

    /** Consecutive empty frames since the last followed face (0 while it is seen). */
    public int missedFrames() {
        return missed;
    }

    /** Forgets the track (a new scene, a seek in the video). */
    public void reset() {
        last = null;
        missed = 0;
    }

    static int largest(List<Detection> detections) {
        int best = 0;
        for (int i = 1; i < detections.size(); i++) {
            double area = detections.get(i).box().area();
            double bestArea = detections.get(best).box().area();
            if (area > bestArea || area == bestArea && detections.get(i).score() > detections.get(best).score()) {
                best = i;
            }
        }
        return best;
    }
}
