package dev.affect.server.face;

import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.face.track.FaceTracker;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.FaceDetection;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.stream.TrackState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One session's face stage: its frames are detected in the order they arrived (one after another
 * on the service's pool, so the tracker sees them in time order) and the tracked faces are aligned.
 * Per session either one face is followed ({@link FaceTracker}: the best overlap with the last one,
 * otherwise the largest), or, in every-face mode, every face under its own track with its own state
 * ({@link FaceTracks}).
 */
public final class SessionFaces implements AutoCloseable {
    private final FaceService service;
    private final FaceTracker tracker = new FaceTracker();
    private final FaceTracks every;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /** The face a frame's result is for, or none. */
    public record Tracked(FaceFinder.Face face, long trackId, boolean newTrack) {
    }

    /** One face of an every-face frame, and its track (whose frame has been started: {@link TrackState#frameStarted}). */
    public record TrackedFace(FaceFinder.Face face, TrackState track, boolean newTrack) {
    }

    /** One face per session. */
    public SessionFaces(FaceService service) {
        this(service, null);
    }

    private SessionFaces(FaceService service, FaceTracks every) {
        this.service = service;
        this.every = every;
    }

    /**
     * Every face of a frame, up to {@code maxFaces}, each with its own {@link TrackState} on
     * {@code pipeline} (which the session holds) and its own smoothing window of {@code smoothingWindow}.
     */
    public static SessionFaces everyFace(FaceService service, int maxFaces, ServedPipeline pipeline, int smoothingWindow) {
        return new SessionFaces(service, new FaceTracks(maxFaces, id -> service.trackStarted(
                () -> new TrackState(id, pipeline, smoothingWindow, service::trackFreed))));
    }

    /** Runs {@code step} on the face pool after every step submitted before it (errors are the step's own to handle). */
    public synchronized void submit(Runnable step) {
        tail = tail.exceptionally(e -> null).thenRunAsync(step, service.executor());
    }

    public FaceService service() {
        return service;
    }

    /** Whether every face is followed ({@link #trackEvery}) rather than one ({@link #track}). */
    public boolean everyFace() {
        return every != null;
    }

    /** The every-face tracks, or null when one face is followed. */
    public FaceTracks tracks() {
        return every;
    }

    /** Detects the faces of {@code image}, follows this session's face and aligns it; empty when there is none. */
    public Optional<Tracked> track(RgbImage image) {
        return service.withFinder(finder -> {
            List<FaceDetection> found = finder.detect(image);
            return tracker.update(FaceTracks.boxes(found)).map(sel -> new Tracked(finder.align(image, found.get(sel.index())),
                    sel.trackId(), sel.newTrack()));
        });
    }

    /**
     * Every-face mode: detects the faces of {@code image}, keeps the best {@code maxFaces}, follows each
     * and aligns it; in descending score, empty when there is none. Each returned face's track has its
     * frame started: the caller ends it ({@link TrackState#frameDone}) when the face is answered.
     */
    public List<TrackedFace> trackEvery(RgbImage image) {
        return service.withFinder(finder -> {
            List<FaceDetection> kept = every.kept(finder.detect(image));
            List<FaceTracks.Assigned> assigned = every.update(kept);
            List<TrackedFace> out = new ArrayList<>(assigned.size());
            for (FaceTracks.Assigned a : assigned) {
                out.add(new TrackedFace(finder.align(image, kept.get(a.index())), a.track(), a.newTrack()));
            }
            out.forEach(f -> f.track().frameStarted());
            return out;
        });
    }

    /** Frees the every-face tracks' states (the session's frames are done). */
    @Override
    public void close() {
        if (every != null) {
            every.close();
        }
    }
}
