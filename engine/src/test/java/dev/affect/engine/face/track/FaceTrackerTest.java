package dev.affect.engine.face.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.engine.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceTrackerTest {

    static Detection face(float x, float y, float size, float score) {
        return new Detection(x, y, x + size, y + size, score);
    }

    @Test
    void firstFrameTakesTheLargestFace() {
        FaceTracker tracker = new FaceTracker();
        FaceTracker.Selection s = tracker.update(List.of(face(0, 0, 30, 0.99f), face(100, 0, 50, 0.7f), face(200, 0, 40, 0.9f))).orElseThrow();
        assertEquals(1, s.index());
        assertTrue(s.newTrack());
        assertEquals(1, s.trackId());
    }

    @Test
    void followsTheSameFaceEvenWhenAnotherGrowsLarger() {
        FaceTracker tracker = new FaceTracker();
        tracker.update(List.of(face(0, 0, 50, 0.9f), face(200, 0, 40, 0.9f)));
        for (int f = 1; f <= 10; f++) {
            // the followed face drifts right; the other one grows well past it
            FaceTracker.Selection s = tracker.update(List.of(face(200, 0, 40 + 10 * f, 0.9f), face(3 * f, 0, 50, 0.9f))).orElseThrow();
            assertEquals(1, s.index(), "frame " + f);
            assertFalse(s.newTrack());
            assertEquals(1, s.trackId());
        }
    }

    @Test
    void crossingFacesKeepTheFollowedOne() {
        // Two 40 px faces cross horizontally, 20 px apart vertically, 5 px per frame each.
        FaceTracker tracker = new FaceTracker();
        tracker.update(List.of(face(0, 0, 40, 0.9f), face(100, 20, 39, 0.95f)));
        assertEquals(0f, tracker.lastBox().orElseThrow().x1());
        for (int f = 1; f <= 20; f++) {
            FaceTracker.Selection s = tracker.update(List.of(face(100 - 5 * f, 20, 39, 0.95f), face(5 * f, 0, 40, 0.9f))).orElseThrow();
            assertEquals(1, s.index(), "frame " + f);
            assertEquals(1, s.trackId());
        }
    }

    @Test
    void aFaceLeavingSwitchesToTheLargestRemainingAsANewTrack() {
        FaceTracker tracker = new FaceTracker();
        tracker.update(List.of(face(0, 0, 60, 0.9f), face(200, 0, 30, 0.9f), face(300, 0, 40, 0.9f)));
        FaceTracker.Selection s = tracker.update(List.of(face(200, 0, 30, 0.9f), face(300, 0, 40, 0.9f))).orElseThrow();
        assertEquals(1, s.index());
        assertTrue(s.newTrack());
        assertEquals(2, s.trackId());
    }

    @Test
    void emptyFramesKeepTheTrackForALimitedTime() {
        FaceTracker tracker = new FaceTracker(0.3, 2);
        tracker.update(List.of(face(0, 0, 50, 0.9f)));
        assertTrue(tracker.update(List.of()).isEmpty());
        assertTrue(tracker.update(List.of()).isEmpty());
        assertEquals(2, tracker.missedFrames());
        // back where it was, alongside a larger stranger: the track continues
        FaceTracker.Selection back = tracker.update(List.of(face(300, 0, 90, 0.9f), face(2, 0, 50, 0.9f))).orElseThrow();
        assertEquals(1, back.index());
        assertFalse(back.newTrack());
        assertEquals(0, tracker.missedFrames());

        for (int i = 0; i < 3; i++) {
            tracker.update(List.of());
        }
        assertTrue(tracker.lastBox().isEmpty(), "forgotten after more than 2 empty frames");
        FaceTracker.Selection fresh = tracker.update(List.of(face(300, 0, 90, 0.9f), face(2, 0, 50, 0.9f))).orElseThrow();
        assertEquals(0, fresh.index());
        assertTrue(fresh.newTrack());
        assertEquals(2, fresh.trackId());
    }

    @Test
    void overlapAtOrBelowTheMinimumStartsANewTrack() {
        FaceTracker tracker = new FaceTracker(0.5, 5);
        tracker.update(List.of(face(0, 0, 10, 0.9f)));
        // IoU exactly 0.5 is not enough (strict >): the larger face wins
        FaceTracker.Selection s = tracker.update(List.of(new Detection(0, 0, 10, 5, 0.9f), face(50, 50, 20, 0.9f))).orElseThrow();
        assertEquals(1, s.index());
        assertTrue(s.newTrack());
    }

    @Test
    void tiesGoToTheHigherScoreThenTheEarlierDetection() {
        FaceTracker tracker = new FaceTracker();
        // equal areas: higher score
        assertEquals(1, tracker.update(List.of(face(0, 0, 40, 0.8f), face(100, 0, 40, 0.9f))).orElseThrow().index());
        tracker.reset();
        // equal areas and scores: the earlier one
        assertEquals(0, tracker.update(List.of(face(0, 0, 40, 0.9f), face(100, 0, 40, 0.9f))).orElseThrow().index());
        // equal IoU with the last box (0,0,40): shifted left or right by 4 px; higher score, then earlier
        assertEquals(1, tracker.update(List.of(face(-4, 0, 40, 0.5f), face(4, 0, 40, 0.6f))).orElseThrow().index());
        tracker.reset();
        tracker.update(List.of(face(0, 0, 40, 0.9f)));
        assertEquals(0, tracker.update(List.of(face(-4, 0, 40, 0.6f), face(4, 0, 40, 0.6f))).orElseThrow().index());
    }

    @Test
    void badArgumentsAreRejected() {
        assertEquals("min_iou", assertThrows(InvalidInputException.class, () -> new FaceTracker(1.0, 3)).field());
        assertEquals("max_missed_frames", assertThrows(InvalidInputException.class, () -> new FaceTracker(0.3, -1)).field());
        assertEquals("detections", assertThrows(InvalidInputException.class, () -> new FaceTracker().update(null)).field());
    }
}
