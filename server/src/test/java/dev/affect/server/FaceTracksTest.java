package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.backend.Backend;
import dev.affect.engine.backend.Backends;
import dev.affect.engine.model.retinaface.FaceDetection;
import dev.affect.server.face.FaceTracks;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.stream.TrackState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every-face tracks' states: one per track, capped per frame, freed when dropped, but never under a frame in flight. */
class FaceTracksTest {
    static Backend backend;
    static ServedPipeline pipeline;

    @BeforeAll
    static void load() throws Exception {
        backend = Backends.open("reference");
        pipeline = Fixtures.pipeline("ddamfn", backend);
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.close();
        }
    }

    private static FaceDetection face(float x, float score) {
        return new FaceDetection(x, 0, x + 50, 50, score, new float[10]);
    }

    private final AtomicInteger held = new AtomicInteger();
    private final List<TrackState> made = new ArrayList<>();

    private FaceTracks tracks(int maxFaces) {
        return new FaceTracks(maxFaces, id -> {
            held.incrementAndGet();
            TrackState t = new TrackState(id, pipeline, 0, held::decrementAndGet);
            made.add(t);
            return t;
        });
    }

    @Test
    void eachTrackHasItsOwnStateAndAFrameKeepsTheBestScoredFaces() {
        FaceTracks t = tracks(2);
        List<FaceDetection> kept = t.kept(List.of(face(0, 0.7f), face(100, 0.99f), face(200, 0.8f)));
        assertEquals(List.of(0.99f, 0.8f), kept.stream().map(FaceDetection::score).toList());
        List<FaceTracks.Assigned> a = t.update(kept);
        assertEquals(2, a.size());
        assertTrue(a.get(0).newTrack() && a.get(1).newTrack());
        assertNotSame(a.get(0).track().state(), a.get(1).track().state(), "a state per track");
        assertEquals(2, held.get());
        List<FaceTracks.Assigned> next = t.update(kept);
        assertFalse(next.get(0).newTrack());
        assertEquals(a.get(0).track(), next.get(0).track(), "the same face, the same state");
        assertEquals(2, held.get());
    }

    @Test
    void aDroppedTrackIsFreedOnlyOnceItsFramesInFlightAreDone() {
        FaceTracks t = tracks(8);
        List<FaceTracks.Assigned> a = t.update(List.of(face(0, 0.9f), face(100, 0.8f)));
        TrackState busy = a.get(0).track();
        TrackState idle = a.get(1).track();
        busy.frameStarted(); // a frame of it is still queued or running
        for (int i = 0; i < 15; i++) {
            assertTrue(t.update(List.of()).isEmpty());
        }
        assertEquals(2, t.live().size(), "lost for 15 frames: still remembered");
        t.update(List.of());
        assertEquals(0, t.live().size(), "dropped on the 16th");
        assertTrue(idle.isFreed(), "an idle dropped track is freed at once");
        assertFalse(busy.isFreed(), "never under a frame in flight");
        assertEquals(1, held.get());
        busy.frameDone();
        assertTrue(busy.isFreed(), "freed when its last frame is done");
        assertEquals(0, held.get());
        assertThrows(IllegalStateException.class, busy::frameStarted, "a freed track takes no frame");
    }

    @Test
    void closingFreesEveryTrack() {
        FaceTracks t = tracks(8);
        t.update(List.of(face(0, 0.9f), face(100, 0.8f), face(200, 0.7f)));
        assertEquals(3, held.get());
        t.close();
        assertEquals(0, held.get());
        made.forEach(s -> assertTrue(s.isFreed()));
        assertThrows(IllegalStateException.class, () -> t.update(List.of()));
    }
}
