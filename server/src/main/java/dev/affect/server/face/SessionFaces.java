package dev.affect.server.face;

import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.face.track.Detection;
import dev.affect.engine.face.track.FaceTracker;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.FaceDetection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One session's face stage: its frames are detected in the order they arrived (one after another
 * on the service's pool, so the tracker sees them in time order) and the tracked face is aligned.
 * Per session one face is followed ({@link FaceTracker}): the best overlap with the last one,
 * otherwise the largest.
 */
public final class SessionFaces {
    private final FaceService service;
    private final FaceTracker tracker = new FaceTracker();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /** The face a frame's result is for, or none. */
    public record Tracked(FaceFinder.Face face, long trackId, boolean newTrack) {
    }

    public SessionFaces(FaceService service) {
        this.service = service;
    }

    /** Runs {@code step} on the face pool after every step submitted before it (errors are the step's own to handle). */
    public synchronized void submit(Runnable step) {
        tail = tail.exceptionally(e -> null).thenRunAsync(step, service.executor());
    }

    public FaceService service() {
        return service;
    }

    /** Detects the faces of {@code image}, follows this session's face and aligns it; empty when there is none. */
    public Optional<Tracked> track(RgbImage image) {
        return service.withFinder(finder -> {
            List<FaceDetection> found = finder.detect(image);
            List<Detection> boxes = new ArrayList<>(found.size());
            for (FaceDetection d : found) {
                boxes.add(new Detection(d.x1(), d.y1(), d.x2(), d.y2(), d.score()));
            }
            return tracker.update(boxes).map(sel -> new Tracked(finder.align(image, found.get(sel.index())),
                    sel.trackId(), sel.newTrack()));
        });
    }
}
