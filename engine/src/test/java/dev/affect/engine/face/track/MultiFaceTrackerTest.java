package dev.affect.engine.face.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MultiFaceTrackerTest {

    static Detection face(float x, float y, float size) {
        return new Detection(x, y, x + size, y + size, 0.9f);
    }

    static long[] ids(MultiFaceTracker.Update u) {
        return u.assignments().stream().mapToLong(MultiFaceTracker.Assignment::trackId).toArray();
    }

    @Test
    void newFacesGetIdsInDetectionOrder() {
        MultiFaceTracker tracker = new MultiFaceTracker();
        MultiFaceTracker.Update u = tracker.update(List.of(face(0, 0, 40), face(100, 0, 40), face(200, 0, 40)));
        assertArrayEquals(new long[] {1, 2, 3}, ids(u));
        assertTrue(u.assignments().stream().allMatch(MultiFaceTracker.Assignment::newTrack));
        assertEquals(3, tracker.tracks().size());
    }

    @Test
    void idsFollowTheFacesWhateverTheDetectionOrder() {
        MultiFaceTracker tracker = new MultiFaceTracker();
        tracker.update(List.of(face(0, 0, 40), face(100, 0, 40)));
        MultiFaceTracker.Update u = tracker.update(List.of(face(103, 2, 40), face(3, 1, 40)));
        assertArrayEquals(new long[] {2, 1}, ids(u));
        assertTrue(u.assignments().stream().noneMatch(MultiFaceTracker.Assignment::newTrack));
    }

    @Test
    void crossingFacesKeepTheirIds() {
        MultiFaceTracker tracker = new MultiFaceTracker();
        tracker.update(List.of(face(0, 0, 40), face(100, 20, 40)));
        for (int f = 1; f <= 20; f++) {
            // order flips every frame to make sure matching, not position in the list, decides
            List<Detection> frame = f % 2 == 0
                    ? List.of(face(5 * f, 0, 40), face(100 - 5 * f, 20, 40))
                    : List.of(face(100 - 5 * f, 20, 40), face(5 * f, 0, 40));
            long[] expected = f % 2 == 0 ? new long[] {1, 2} : new long[] {2, 1};
            assertArrayEquals(expected, ids(tracker.update(frame)), "frame " + f);
        }
    }

    @Test
    void aFaceLeavingIsDroppedAfterItsMissedFramesAndNeverReused() {
        MultiFaceTracker tracker = new MultiFaceTracker(0.3, 2);
        tracker.update(List.of(face(0, 0, 40), face(100, 0, 40)));
        // face 1 leaves; face 2 stays
        assertTrue(tracker.update(List.of(face(100, 0, 40))).dropped().isEmpty());
        assertTrue(tracker.update(List.of(face(100, 0, 40))).dropped().isEmpty());
        assertEquals(2, tracker.tracks().get(0).missedFrames());
        MultiFaceTracker.Update third = tracker.update(List.of(face(100, 0, 40)));
        assertEquals(List.of(1L), third.dropped());
        assertEquals(1, tracker.tracks().size());
        // it comes back: a new id, not 1
        MultiFaceTracker.Update back = tracker.update(List.of(face(0, 0, 40), face(100, 0, 40)));
        assertArrayEquals(new long[] {3, 2}, ids(back));
        assertTrue(back.assignments().get(0).newTrack());
    }

    @Test
    void aFaceReappearingWithinTheWindowKeepsItsId() {
        MultiFaceTracker tracker = new MultiFaceTracker(0.3, 3);
        tracker.update(List.of(face(0, 0, 40)));
        tracker.update(List.of());
        tracker.update(List.of());
        assertArrayEquals(new long[] {1}, ids(tracker.update(List.of(face(2, 2, 40)))));
    }

    @Test
    void greedyMatchingTakesTheBestOverlapFirstAndOneDetectionPerTrack() {
        MultiFaceTracker tracker = new MultiFaceTracker(0.1, 5);
        tracker.update(List.of(face(0, 0, 40)));
        // two candidates for track 1: the better-overlapping one (listed second) gets it, the other is new
        MultiFaceTracker.Update u = tracker.update(List.of(face(15, 0, 40), face(5, 0, 40)));
        assertArrayEquals(new long[] {2, 1}, ids(u));
    }

    @Test
    void equalOverlapGoesToTheOlderTrackThenTheEarlierDetection() {
        MultiFaceTracker tracker = new MultiFaceTracker(0.1, 5);
        // two identical boxes: two tracks on the same spot
        tracker.update(List.of(face(0, 0, 40), face(0, 0, 40)));
        MultiFaceTracker.Update u = tracker.update(List.of(face(0, 0, 40)));
        assertArrayEquals(new long[] {1}, ids(u));
        assertEquals(1, tracker.tracks().get(1).missedFrames());
        // one track, two detections with the same IoU: the earlier detection continues it
        MultiFaceTracker single = new MultiFaceTracker(0.1, 5);
        single.update(List.of(face(0, 0, 40)));
        assertArrayEquals(new long[] {1, 2}, ids(single.update(List.of(face(-4, 0, 40), face(4, 0, 40)))));
    }
}
