package dev.affect.engine.face.track;

import dev.affect.engine.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Follows every face of a stream, each under its own stable track id, so that each can keep its own
 * temporal state (one tracker per stream; not thread-safe).
 *
 * <p>Per frame: every (track, detection) pair whose IoU exceeds {@code minIou} is a candidate; pairs
 * are taken greedily by descending IoU (ties: the older track, then the earlier detection), each track
 * and detection at most once. A matched track moves to its detection's box. Detections left over start
 * new tracks, with ids counting up from 1 in detection order. Tracks left over keep their last box (no
 * motion model) and are dropped after more than {@code maxMissedFrames} consecutive frames unmatched;
 * {@link Update#dropped()} names them so the caller can free their state. Held tracks are therefore
 * bounded by the detections per frame times {@code maxMissedFrames + 1}.
 */
public final class MultiFaceTracker {
    private final TrackLimits limits;
    private final List<Track> tracks = new ArrayList<>();
    private long nextId = 1;

    /** A live track: id, its last matched box, and consecutive frames it went unmatched. */
    public record Track(long id, FaceBox box, int missedFrames) {
    }

    /** Detection {@code index} of the frame belongs to track {@code trackId}; {@code newTrack} when it started here. */
    public record Assignment(int index, long trackId, boolean newTrack) {
    }

    /**
     * @param assignments one per detection, in the frame's detection order
     * @param dropped ids of tracks that ended with this frame (their state can go)
     */
    public record Update(List<Assignment> assignments, List<Long> dropped) {
    }

    public MultiFaceTracker() {
        this(FaceTracker.DEFAULT_MIN_IOU, FaceTracker.DEFAULT_MAX_MISSED_FRAMES);
    }

    public MultiFaceTracker(double minIou, int maxMissedFrames) {
        this.limits = new TrackLimits(minIou, maxMissedFrames);
    }

    private record Pair(int track, int detection, double iou) {
    }

    public Update update(List<Detection> detections) {
        if (detections == null) {
            throw new InvalidInputException("detections", "missing (pass an empty list for a frame without faces)");
        }
        List<Pair> pairs = new ArrayList<>();
        for (int t = 0; t < tracks.size(); t++) {
            for (int d = 0; d < detections.size(); d++) {
                double iou = tracks.get(t).box().iou(detections.get(d).box());
                if (iou > limits.minIou()) {
                    pairs.add(new Pair(t, d, iou));
                }
            }
        }
        // Tracks are kept in id order, so a lower track position is an older track.
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed()
                .thenComparingInt(Pair::track).thenComparingInt(Pair::detection));
        long[] trackOf = new long[detections.size()];
        boolean[] trackMatched = new boolean[tracks.size()];
        for (Pair p : pairs) {
            if (trackOf[p.detection] == 0 && !trackMatched[p.track]) {
                trackOf[p.detection] = tracks.get(p.track).id();
                trackMatched[p.track] = true;
                tracks.set(p.track, new Track(tracks.get(p.track).id(), detections.get(p.detection).box(), 0));
            }
        }
        List<Long> dropped = new ArrayList<>();
        List<Track> kept = new ArrayList<>(tracks.size() + detections.size());
        for (int t = 0; t < tracks.size(); t++) {
            Track track = tracks.get(t);
            if (trackMatched[t]) {
                kept.add(track);
            } else if (track.missedFrames() + 1 > limits.maxMissedFrames()) {
                dropped.add(track.id());
            } else {
                kept.add(new Track(track.id(), track.box(), track.missedFrames() + 1));
            }
        }
        List<Assignment> assignments = new ArrayList<>(detections.size());
        for (int d = 0; d < detections.size(); d++) {
            boolean isNew = trackOf[d] == 0;
            if (isNew) {
                trackOf[d] = nextId++;
                kept.add(new Track(trackOf[d], detections.get(d).box(), 0));
            }
            assignments.add(new Assignment(d, trackOf[d], isNew));
        }
        tracks.clear();
        tracks.addAll(kept);
        return new Update(List.copyOf(assignments), List.copyOf(dropped));
    }

    /** The live tracks (matched this frame or still remembered), oldest first. */
    public List<Track> tracks() {
        return List.copyOf(tracks);
    }

    /** Drops every track; ids keep counting up, so an old id is never reused. */
    public void reset() {
        tracks.clear();
    }

    @Override
    public String toString() {
        return "MultiFaceTracker" + tracks;
    }
}
