package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.affect.engine.backend.Backend;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.FaceMode;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.SessionOptions;
import dev.affect.proto.v1.SessionStarted;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streams of whole camera frames: the released RetinaFace finds the face, the session follows it,
 * the pipeline runs on the aligned crop, and a frame without a face advances nothing.
 */
class StreamFaceDetectionTest {
    static DetectorServers servers;
    static Backend backend;
    static InProcessServer served;
    static InProcessServer withoutDetector;
    static Path real;

    @BeforeAll
    static void start() throws Exception {
        servers = DetectorServers.start();
        backend = servers.backend;
        served = servers.served;
        withoutDetector = servers.withoutDetector;
        real = servers.real;
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

    private static SessionOpen open(FaceMode mode) {
        return SessionOpen.newBuilder().setOptions(SessionOptions.newBuilder().setFace(mode)).build();
    }

    private static ByteString file(Path p) throws Exception {
        return ByteString.copyFrom(Files.readAllBytes(p));
    }

    private static ByteString noFace() throws Exception {
        return file(real.getParent().getParent().resolve("real-photos/non_face.jpg"));
    }

    @Test
    void theFaceIsFoundAlignedAndAnsweredAndAFramewithoutOneAdvancesNothing() throws Exception {
        ByteString astronaut = file(real.resolve("astronaut.png"));
        StreamClient a = call(served);
        SessionStarted started = a.open(open(FaceMode.FACE_DETECT));
        assertEquals(FaceMode.FACE_DETECT, started.getOptions().getFace());
        a.frame(1, astronaut).frame(2, noFace()).frame(3, astronaut);
        List<FrameResult> r = a.results(3);
        assertEquals(List.of(1L, 2L, 3L), r.stream().map(FrameResult::getSequence).toList(), "answered in send order");

        JsonNode face = new ObjectMapper().readTree(real.resolve("astronaut_detections.json").toFile()).get("faces").get(0);
        FrameResult first = r.get(0);
        assertTrue(first.hasAffect() && first.hasFace(), first.toString());
        assertEquals(face.get("score").asDouble(), first.getFace().getScore(), 1e-3);
        for (int k = 0; k < 4; k++) {
            assertEquals(face.get("box_xyxy").get(k).asDouble(), first.getFace().getBox(k), 1.0, "box[" + k + "]");
        }
        for (int p = 0; p < 5; p++) {
            assertEquals(face.get("landmarks_xy").get(p).get(0).asDouble(), first.getFace().getLandmarks(2 * p), 1.0);
            assertEquals(face.get("landmarks_xy").get(p).get(1).asDouble(), first.getFace().getLandmarks(2 * p + 1), 1.0);
        }
        FrameResult none = r.get(1);
        assertTrue(none.getNoFace() && !none.hasAffect() && !none.hasFace() && !none.hasError(), none.toString());
        assertEquals(first.getFace().getTrackId(), r.get(2).getFace().getTrackId(), "the same face, the same track");

        // A session that never saw the empty frame: its second frame must carry the same state.
        StreamClient b = call(served);
        b.open(open(FaceMode.FACE_DETECT));
        b.frame(1, astronaut).frame(2, astronaut);
        List<FrameResult> s = b.results(2);
        assertArrayEquals(values(r.get(2)), values(s.get(1)), 0f, "the frame without a face did not advance the LSTM state");
        assertFalse(java.util.Arrays.equals(values(s.get(0)), values(s.get(1))), "the state does advance on a face");
        a.requests.onCompleted();
        b.requests.onCompleted();
    }

    @Test
    void anotherFaceTakenStartsItsOwnSequence() throws Exception {
        ByteString astronaut = file(real.resolve("astronaut.png"));
        ByteString moved = shifted(real.resolve("astronaut.png"), 768, 256); // the face 256 px to the right: no overlap
        StreamClient a = call(served);
        a.open(open(FaceMode.FACE_DETECT));
        a.frame(1, astronaut).frame(2, moved);
        List<FrameResult> r = a.results(2);
        assertTrue(r.get(1).hasFace(), r.get(1).toString());
        assertTrue(r.get(1).getFace().getTrackId() != r.get(0).getFace().getTrackId(), "a new track: " + r);
        StreamClient b = call(served);
        b.open(open(FaceMode.FACE_DETECT));
        b.frame(1, moved);
        FrameResult fresh = b.results(1).get(0);
        assertArrayEquals(values(fresh), values(r.get(1)), 1e-5f, "the new face's values start from a zero state");
        a.requests.onCompleted();
        b.requests.onCompleted();
    }

    @Test
    void anotherFaceTakenRestartsTheSmoothingWindow() throws Exception {
        ByteString astronaut = file(real.resolve("astronaut.png"));
        ByteString moved = shifted(real.resolve("astronaut.png"), 768, 256);
        SessionOpen smoothed = SessionOpen.newBuilder().setOptions(SessionOptions.newBuilder()
                .setFace(FaceMode.FACE_DETECT).setSmoothingWindow(5)).build();
        StreamClient a = call(served);
        a.open(smoothed);
        a.frame(1, astronaut).frame(2, moved).frame(3, moved);
        List<FrameResult> r = a.results(3);
        assertTrue(r.get(1).getFace().getTrackId() != r.get(0).getFace().getTrackId(), "a new track: " + r);
        StreamClient b = call(served);
        b.open(smoothed);
        b.frame(1, moved).frame(2, moved);
        List<FrameResult> fresh = b.results(2);
        assertArrayEquals(values(fresh.get(0)), values(r.get(1)), 1e-5f,
                "the new face's first value is its own, not averaged with the last face's");
        assertArrayEquals(values(fresh.get(1)), values(r.get(2)), 1e-5f, "and its window holds only its own frames");
        assertFalse(java.util.Arrays.equals(values(fresh.get(0)), values(fresh.get(1))), "smoothing averages its frames");
        a.requests.onCompleted();
        b.requests.onCompleted();
    }

    /** The image drawn at {@code dx} on a black canvas {@code width} wide, as a PNG. */
    private static ByteString shifted(Path image, int width, int dx) throws Exception {
        java.awt.image.BufferedImage src = javax.imageio.ImageIO.read(image.toFile());
        java.awt.image.BufferedImage canvas = new java.awt.image.BufferedImage(width, src.getHeight(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = canvas.createGraphics();
        g.drawImage(src, dx, 0, null);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(canvas, "png", out);
        return ByteString.copyFrom(out.toByteArray());
    }

    @Test
    void autoDetectsInCameraFramesAndTakesFaceCropsAsTheyAre() throws Exception {
        StreamClient c = call(served);
        assertEquals(FaceMode.FACE_AUTO, c.open(SessionOpen.getDefaultInstance()).getOptions().getFace());
        c.frame(1, file(real.resolve("astronaut.png"))).frame(2, ByteString.copyFrom(Fixtures.bytes("face_a.png")));
        List<FrameResult> r = c.results(2);
        assertTrue(r.get(0).hasFace() && r.get(0).hasAffect(), "a 512x512 frame is searched: " + r.get(0));
        assertTrue(!r.get(1).hasFace() && r.get(1).hasAffect(), "a 112x112 crop runs as it is: " + r.get(1));
        c.requests.onCompleted();
    }

    @Test
    void oddCameraFramesGetAnAnswerEachAndTheStreamGoesOn() throws Exception {
        StreamClient c = call(served);
        c.open(open(FaceMode.FACE_DETECT));
        byte[] corrupt = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3};
        c.frame(1, png(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB)).frame(2, ByteString.copyFrom(corrupt))
                .frame(3, png(640, 480, java.awt.image.BufferedImage.TYPE_BYTE_GRAY))
                .frame(4, file(real.resolve("astronaut.png")));
        List<FrameResult> r = c.results(4);
        assertTrue(r.get(0).getNoFace(), "a 1x1 frame has no face: " + r.get(0));
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), r.get(1).getError().getCode(), r.get(1).toString());
        assertTrue(r.get(1).getError().getMessage().startsWith("frame.image"), r.get(1).getError().getMessage());
        assertTrue(r.get(2).getNoFace(), "a blank grey frame has no face: " + r.get(2));
        assertTrue(r.get(3).hasFace() && r.get(3).hasAffect(), "the stream goes on: " + r.get(3));
        c.requests.onCompleted();
        assertEquals(Status.Code.OK, c.status().getCode());
    }

    private static ByteString png(int width, int height, int type) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(width, height, type), "png", out);
        return ByteString.copyFrom(out.toByteArray());
    }

    @Test
    void detectOnAServerWithoutADetectorIsAFailedPrecondition() throws Exception {
        StreamClient c = call(withoutDetector).send(open(FaceMode.FACE_DETECT));
        Status status = c.status();
        assertEquals(Status.Code.FAILED_PRECONDITION, status.getCode());
        assertTrue(status.getDescription().contains("--detector"), status.getDescription());
    }

    /** Every value of a result: VA, expression probabilities, AU probabilities. */
    private static float[] values(FrameResult r) {
        return values(r.getAffect());
    }

    /** Every value of an affect: VA, expression probabilities, AU probabilities. */
    static float[] values(dev.affect.proto.v1.Affect a) {
        float[] v = new float[2 + a.getExpression().getProbabilitiesCount() + a.getActionUnits().getUnitsCount()];
        int i = 0;
        v[i++] = a.getVa().getValence();
        v[i++] = a.getVa().getArousal();
        for (var p : a.getExpression().getProbabilitiesList()) {
            v[i++] = p.getProbability();
        }
        for (var u : a.getActionUnits().getUnitsList()) {
            v[i++] = u.getProbability();
        }
        return v;
    }
}
