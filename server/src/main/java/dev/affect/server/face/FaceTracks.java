package dev.affect.server.face;

import dev.affect.engine.face.track.Detection;
import dev.affect.engine.face.track.MultiFaceTracker;
import dev.affect.engine.model.retinaface.FaceDetection;
import dev.affect.server.stream.TrackState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The faces an every-face session follows: a {@link MultiFaceTracker} and each live track's own
 * {@link TrackState}, created when the track starts and freed when the tracker drops it (after its
 * missed-frame limit) or the session ends. A frame keeps at most {@code maxFaces} faces, the
 * highest-scored, so a session holds at most {@code maxFaces * (maxMissedFrames + 1)} track states.
 *
 * <p>Updated on the face pool, one frame after another in the session's order; closed when the
 * session's state is freed. Thread-safe.
 */
public final class FaceTracks implements AutoCloseable {
    private final MultiFaceTracker tracker = new MultiFaceTracker();
    private final int maxFaces;
    private final LongFunction<TrackState> newState;
    private final Map<Long, TrackState> live = new LinkedHashMap<>();
    private boolean closed;

    /** Detection {@code index} of the frame's kept faces belongs to {@code track}; {@code newTrack} when it started here. */
    public record Assigned(int index, TrackState track, boolean newTrack) {
    }

    /**
     * @param maxFaces faces of one frame followed at most
     * @param newState a fresh (zero) state for a track id
     */
    public FaceTracks(int maxFaces, LongFunction<TrackState> newState) {
        if (maxFaces < 1) {
            throw new IllegalArgumentException("maxFaces must be at least 1, got " + maxFaces);
        }
        this.maxFaces = maxFaces;
        this.newState = newState;
    }

    public int maxFaces() {
        return maxFaces;
    }

    /** The faces of a frame that are followed: the {@code maxFaces} highest-scored, in descending score. */
    public List<FaceDetection> kept(List<FaceDetection> found) {
        List<FaceDetection> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingDouble(FaceDetection::score).reversed());
        return List.copyOf(sorted.subList(0, Math.min(maxFaces, sorted.size())));
    }

    /**
     * Follows one frame's kept faces (an empty list for a frame without any): each gets its track, a
     * new one with a zero state when it matches none; tracks the tracker drops are freed (once their
     * frames in flight are done).
     *
     * @return one per face, in {@code faces}' order
     */
    public synchronized List<Assigned> update(List<FaceDetection> faces) {
        if (closed) {
            throw new IllegalStateException("the session's face tracks are closed");
        }
        MultiFaceTracker.Update u = tracker.update(boxes(faces));
        for (long id : u.dropped()) {
            TrackState gone = live.remove(id);
            if (gone != null) {
                gone.free();
            }
        }
        List<Assigned> out = new ArrayList<>(u.assignments().size());
        for (MultiFaceTracker.Assignment a : u.assignments()) {
            TrackState state = a.newTrack() ? newState.apply(a.trackId()) : live.get(a.trackId());
            if (a.newTrack()) {
                live.put(a.trackId(), state);
            }
            out.add(new Assigned(a.index(), state, a.newTrack()));
        }
        return out;
    }

    /** The detector's faces as the trackers take them. */
    static List<Detection> boxes(List<FaceDetection> faces) {
        List<Detection> boxes = new ArrayList<>(faces.size());
        for (FaceDetection d : faces) {
            boxes.add(new Detection(d.x1(), d.y1(), d.x2(), d.y2(), d.score()));
        }
        return boxes;
    }

    /** The tracks' states held now (live tracks, oldest first). */
    public synchronized List<TrackState> live() {
        return List.copyOf(live.values());
    }

    /** Frees every track's state (the session's frames are done); later updates fail. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        live.values().forEach(TrackState::free);
        live.clear();
    }
}
