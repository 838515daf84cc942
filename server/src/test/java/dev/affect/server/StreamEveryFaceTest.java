package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.face.FaceFinder;
import dev.affect.engine.image.FaceNormalizer;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.image.RgbImage;
import dev.affect.engine.model.retinaface.DetectionConfig;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.FaceAffect;
import dev.affect.proto.v1.FaceMode;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.SessionEvent;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.SessionOptions;
import dev.affect.proto.v1.SessionStarted;
import dev.affect.proto.v1.StreamFrame;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.face.FaceService;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every-face streams of camera frames with the released RetinaFace: each face of group.jpeg under its
 * own track with its own LSTM state and smoothing window, frames without faces advancing nothing,
 * dropped tracks' state freed, and the options' statuses.
 */
class StreamEveryFaceTest {
    static DetectorServers servers;
    static Backend backend;
    static FaceService faces;
    static InProcessServer served;
    static InProcessServer withoutDetector;
    static Path real;
    static Path photos;
    static ByteString group;
    /** group.jpeg's faces as a detector of our own finds them, in descending score (the server's order). */
    static List<FaceFinder.Face> found;

    @BeforeAll
    static void start() throws Exception {
        servers = DetectorServers.start();
        real = servers.real;
        photos = real.getParent().getParent().resolve("real-photos");
        assumeTrue(Files.isDirectory(photos), "real photos not found at " + photos);
        backend = servers.backend;
        faces = servers.faces;
        served = servers.served;
        withoutDetector = servers.withoutDetector;
        Path weights = real.resolve("mobilenet0.25_Final.pth");

        byte[] bytes = Files.readAllBytes(photos.resolve("group.jpeg"));
        group = ByteString.copyFrom(bytes);
        RgbImage image = new FacePreprocessor(ImageDecoder.best(), Long.MAX_VALUE).decode(bytes, "group.jpeg");
        try (FaceFinder finder = FaceFinder.load(weights, backend, DetectionConfig.defaults())) {
            found = new ArrayList<>(finder.find(image));
        }
        found.sort(Comparator.comparingDouble((FaceFinder.Face f) -> f.detection().score()).reversed());
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    private static StreamClient call(InProcessServer s) {
        return new StreamClient(AffectServiceGrpc.newStub(s.channel));
    }

    private static SessionOpen everyFace(int maxFaces) {
        return SessionOpen.newBuilder().setOptions(SessionOptions.newBuilder().setFace(FaceMode.FACE_DETECT)
                .setEveryFace(true).setMaxFaces(maxFaces)).build();
    }

    private static ByteString file(Path p) throws Exception {
        return ByteString.copyFrom(Files.readAllBytes(p));
    }

    /** Ends the session and waits for it to be freed. */
    private static void end(StreamClient c) throws Exception {
        c.end();
        assertEquals(SessionEvent.Kind.ENDED, c.nextEvent().getKind());
        assertEquals(Status.Code.OK, c.status().getCode());
    }

    @Test
    void everyFaceOfTheGroupIsFollowedUnderItsOwnStableTrackInDescendingScore() throws Exception {
        // real-photos/README.md: 5 people, one cut off at the top right; the released detector finds the 4 others.
        assertEquals(4, found.size(), "group.jpeg's fully visible faces");
        int n = found.size();
        StreamClient c = call(served);
        SessionStarted started = c.open(everyFace(0));
        assertTrue(started.getOptions().getEveryFace());
        assertEquals(ServerConfig.DEFAULT_MAX_FACES, started.getOptions().getMaxFaces(), "0 = the server's maximum, echoed");
        c.frame(1, group).frame(2, group).frame(3, group);
        List<FrameResult> r = c.results(3);
        List<Long> firstIds = null;
        for (FrameResult f : r) {
            assertFalse(f.hasAffect() || f.hasFace() || f.getNoFace() || f.hasError(), f.toString());
            assertEquals(n, f.getFacesCount(), f.toString());
            List<Long> ids = f.getFacesList().stream().map(a -> a.getFace().getTrackId()).toList();
            assertEquals(n, new HashSet<>(ids).size(), "distinct track ids: " + ids);
            for (int i = 0; i < n; i++) {
                FaceAffect a = f.getFaces(i);
                assertTrue(a.hasAffect() && a.getAffect().hasVa(), a.toString());
                assertEquals(found.get(i).detection().score(), a.getFace().getScore(), 1e-4, "face " + i + " in descending score");
                assertEquals(found.get(i).detection().x1(), a.getFace().getBox(0), 0.5);
                if (i > 0) {
                    assertTrue(a.getFace().getScore() <= f.getFaces(i - 1).getFace().getScore());
                }
            }
            if (firstIds == null) {
                firstIds = ids;
            }
            assertEquals(firstIds, ids, "each face keeps its track from frame to frame");
        }
        assertEquals(r.get(0).getFacesCount(), Set.copyOf(firstIds).size());
        end(c);
    }

    @Test
    void eachFaceHasItsOwnStateAsIfItWereStreamedAlone() throws Exception {
        int frames = 3;
        StreamClient every = call(served);
        every.open(everyFace(0));
        for (int i = 0; i < frames; i++) {
            every.frame(i, group);
        }
        List<FrameResult> all = every.results(frames);
        // Each face's aligned crop, as a FACE_NONE session's normalized frames: one session per face.
        List<StreamClient> alone = new ArrayList<>();
        for (FaceFinder.Face face : found) {
            StreamClient c = call(served);
            c.open(SessionOpen.newBuilder().setOptions(SessionOptions.newBuilder().setFace(FaceMode.FACE_NONE)).build());
            for (int i = 0; i < frames; i++) {
                c.frame(StreamFrame.newBuilder().setSequence(i).setNormalized(StreamClient.rawTensor(normalized(face.crop()))));
            }
            alone.add(c);
        }
        double worst = 0;
        for (int k = 0; k < found.size(); k++) {
            List<FrameResult> own = alone.get(k).results(frames);
            for (int i = 0; i < frames; i++) {
                FaceAffect a = all.get(i).getFaces(k);
                assertEquals(found.get(k).detection().x1(), a.getFace().getBox(0), 0.5, "the same face");
                float[] expected = StreamFaceDetectionTest.values(own.get(i).getAffect());
                float[] actual = StreamFaceDetectionTest.values(a.getAffect());
                assertArrayEquals(expected, actual, 1e-4f, "face " + k + " frame " + i + ": its own state, nobody else's");
                for (int j = 0; j < expected.length; j++) {
                    worst = Math.max(worst, Math.abs(expected[j] - actual[j]));
                }
            }
            assertFalse(java.util.Arrays.equals(StreamFaceDetectionTest.values(own.get(0).getAffect()),
                    StreamFaceDetectionTest.values(own.get(1).getAffect())), "the state advances frame to frame");
            end(alone.get(k));
        }
        System.out.println("every-face vs one FACE_NONE session per face: max abs difference " + worst);
        assertFalse(java.util.Arrays.equals(StreamFaceDetectionTest.values(all.get(0).getFaces(0).getAffect()),
                StreamFaceDetectionTest.values(all.get(0).getFaces(1).getAffect())), "faces differ");
        end(every);
    }

    /** An aligned crop as the normalized [3, 112, 112] values the scheduler writes for it. */
    private static float[] normalized(RgbImage crop) {
        int plane = FaceNormalizer.SIZE * FaceNormalizer.SIZE;
        float[] v = new float[3 * plane];
        byte[] px = crop.pixels();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                v[c * plane + i] = FaceNormalizer.normalize(c, px[i * 3 + c] & 0xff);
            }
        }
        return v;
    }

    @Test
    void aFrameWithoutAFaceIsAnsweredAsSuchAndAdvancesNoTrack() throws Exception {
        StreamClient a = call(served);
        a.open(everyFace(0));
        a.frame(1, group).frame(2, file(photos.resolve("non_face.jpg"))).frame(3, group);
        List<FrameResult> r = a.results(3);
        FrameResult none = r.get(1);
        assertTrue(none.getNoFace() && none.getFacesCount() == 0 && !none.hasAffect() && !none.hasError(), none.toString());
        StreamClient b = call(served);
        b.open(everyFace(0));
        b.frame(1, group).frame(2, group);
        List<FrameResult> s = b.results(2);
        for (int k = 0; k < found.size(); k++) {
            assertEquals(r.get(2).getFaces(k).getFace().getTrackId(), s.get(1).getFaces(k).getFace().getTrackId());
            assertArrayEquals(StreamFaceDetectionTest.values(s.get(1).getFaces(k).getAffect()),
                    StreamFaceDetectionTest.values(r.get(2).getFaces(k).getAffect()), 1e-5f,
                    "face " + k + ": the frame without a face did not advance its state");
        }
        end(a);
        end(b);
    }

    @Test
    void droppedTracksAndEndedSessionsFreeTheirState() throws Exception {
        int before = faces.tracksHeld();
        StreamClient c = call(served);
        c.open(everyFace(0));
        c.frame(1, group);
        int n = found.size();
        assertEquals(n, c.results(1).get(0).getFacesCount());
        assertEquals(before + n, faces.tracksHeld(), "a state per track");
        ByteString blank = blank();
        // The tracker remembers a lost face for 15 frames (FaceTracker.DEFAULT_MAX_MISSED_FRAMES), drops it on the 16th.
        for (int i = 0; i < 15; i++) {
            c.frame(2 + i, blank);
        }
        c.results(15).forEach(f -> assertTrue(f.getNoFace(), f.toString()));
        assertEquals(before + n, faces.tracksHeld(), "tracks lost for 15 frames are still remembered");
        c.frame(17, blank);
        assertTrue(c.results(1).get(0).getNoFace());
        assertEquals(before, faces.tracksHeld(), "dropped tracks' states are freed while the session goes on");
        c.frame(18, group);
        FrameResult again = c.results(1).get(0);
        assertTrue(again.getFaces(0).getFace().getTrackId() > n, "faces seen again are new tracks: " + again);
        assertEquals(before + n, faces.tracksHeld());
        end(c);
        assertEquals(before, faces.tracksHeld(), "an ended session frees its tracks' states");
    }

    private static ByteString blank() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(160, 120, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", out);
        return ByteString.copyFrom(out.toByteArray());
    }

    @Test
    void maxFacesKeepsTheBestScored() throws Exception {
        StreamClient c = call(served);
        assertEquals(2, c.open(everyFace(2)).getOptions().getMaxFaces());
        c.frame(1, group).frame(2, group);
        for (FrameResult f : c.results(2)) {
            assertEquals(2, f.getFacesCount(), f.toString());
            for (int i = 0; i < 2; i++) {
                assertEquals(found.get(i).detection().score(), f.getFaces(i).getFace().getScore(), 1e-4);
            }
        }
        end(c);
    }

    @Test
    void aResumedSessionKeepsItsTracksAndTheirState() throws Exception {
        StreamClient a = call(served);
        String id = a.open(everyFace(0)).getSessionId();
        a.frame(1, group);
        List<Long> ids = a.results(1).get(0).getFacesList().stream().map(f -> f.getFace().getTrackId()).toList();
        a.requests.onCompleted();
        assertEquals(Status.Code.OK, a.status().getCode());
        StreamClient resumed = call(served);
        SessionStarted started = resumed.open(SessionOpen.newBuilder().setResume(id).build());
        assertTrue(started.getResumed() && started.getOptions().getEveryFace(), started.toString());
        resumed.frame(2, group);
        FrameResult r = resumed.results(1).get(0);
        StreamClient b = call(served);
        b.open(everyFace(0));
        b.frame(1, group).frame(2, group);
        FrameResult s = b.results(2).get(1);
        for (int k = 0; k < found.size(); k++) {
            assertEquals(ids.get(k), r.getFaces(k).getFace().getTrackId(), "the same tracks after resume");
            assertArrayEquals(StreamFaceDetectionTest.values(s.getFaces(k).getAffect()),
                    StreamFaceDetectionTest.values(r.getFaces(k).getAffect()), 1e-5f, "face " + k + " continues its state");
        }
        end(resumed);
        end(b);
    }

    @Test
    void badOptionsGetPreciseStatuses() throws Exception {
        assertRefused(served, SessionOptions.newBuilder().setFace(FaceMode.FACE_NONE).setEveryFace(true),
                Status.Code.INVALID_ARGUMENT, "open.options.every_face");
        assertRefused(served, SessionOptions.newBuilder().setEveryFace(true).setMaxFaces(ServerConfig.DEFAULT_MAX_FACES + 1),
                Status.Code.INVALID_ARGUMENT, "open.options.max_faces");
        assertRefused(served, SessionOptions.newBuilder().setEveryFace(true).setMaxFaces(-1),
                Status.Code.INVALID_ARGUMENT, "open.options.max_faces");
        assertRefused(served, SessionOptions.newBuilder().setMaxFaces(2),
                Status.Code.INVALID_ARGUMENT, "open.options.max_faces");
        assertRefused(withoutDetector, SessionOptions.newBuilder().setEveryFace(true),
                Status.Code.FAILED_PRECONDITION, "open.options.every_face");
        assertRefused(withoutDetector, SessionOptions.newBuilder().setFace(FaceMode.FACE_DETECT).setEveryFace(true),
                Status.Code.FAILED_PRECONDITION, "open.options.face");
    }

    private static void assertRefused(InProcessServer s, SessionOptions.Builder options, Status.Code code, String field)
            throws Exception {
        Status status = call(s).send(SessionOpen.newBuilder().setOptions(options).build()).status();
        assertEquals(code, status.getCode(), String.valueOf(status));
        assertTrue(status.getDescription().startsWith(field), status.getDescription());
        assertNotEquals(null, status.getDescription());
    }
}
