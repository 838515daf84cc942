package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.SessionEvent;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.StreamFrame;
import dev.affect.proto.v1.StreamResponse;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AffectService.Stream (and Predict's task heads) in process: protocol, errors, state, resume, eviction. */
class StreamServiceTest {
    static Backend backend;
    static ServedPipeline offline;
    static InProcessServer served;
    static ManagedChannel channel;
    static AffectServiceGrpc.AffectServiceStub stub;
    static final List<String> FACES = List.of("face_a.png", "face_b.jpg", "face_c.png");

    @BeforeAll
    static void start() throws Exception {
        backend = Fixtures.backend();
        offline = Fixtures.pipeline("offline", backend);
        PipelineRegistry registry = new PipelineRegistry();
        registry.register(Fixtures.pipeline("ddamfn", backend));
        served = InProcessServer.start(ServerConfig.defaults().withMetricsPort(-1).withSessions(3, Duration.ofMillis(1500), 4),
                registry);
        channel = served.channel;
        stub = AffectServiceGrpc.newStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        if (served != null) {
            served.close();
        }
        if (offline != null) {
            offline.retire();
        }
    }

    static StreamClient call() {
        return new StreamClient(stub);
    }

    static ByteString face(String file) throws Exception {
        return ByteString.copyFrom(Fixtures.bytes(file));
    }

    /** The offline pipeline's values of frames run one after another from a zero state, as [T][va, expr, au]. */
    static List<float[][]> offlineRun(List<String> files) throws Exception {
        FacePreprocessor preprocessor = new FacePreprocessor(ImageDecoder.best());
        return OfflineReference.run(offline, files.size(), (clip, i) -> preprocessor.writeInto(clip, i, Fixtures.reference(files.get(i))));
    }

    static void assertMatches(float[][] expected, FrameResult r) {
        OfflineReference.assertMatches(expected, r, "frame " + r.getSequence());
    }

    @Test
    void framesMatchTheOfflineRunAndResumeContinuesTheState() throws Exception {
        List<String> first = List.of("face_a.png", "face_b.jpg", "face_c.png");
        List<String> second = List.of("face_b.jpg", "face_a.png");
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        List<float[][]> expected = offlineRun(all);

        StreamClient c = call().send(SessionOpen.getDefaultInstance());
        StreamResponse started = c.next();
        assertTrue(started.hasStarted(), started.toString());
        String id = started.getStarted().getSessionId();
        assertEquals(32, id.length());
        for (int i = 0; i < first.size(); i++) {
            c.frame(i, face(first.get(i)));
        }
        for (int i = 0; i < first.size(); i++) {
            FrameResult r = c.next().getResult();
            assertEquals(i, r.getSequence());
            assertEquals(i * 10L, r.getTimestampUs());
            assertTrue(r.getBatchSize() >= 1);
            assertMatches(expected.get(i), r);
        }
        c.requests.onCompleted();
        assertEquals(Status.Code.OK, c.status().getCode());

        StreamClient d = call().send(SessionOpen.newBuilder().setResume(id).build());
        StreamResponse resumed = d.next();
        assertTrue(resumed.getStarted().getResumed());
        assertEquals(3, resumed.getStarted().getFramesAnswered());
        for (int i = 0; i < second.size(); i++) {
            d.frame(100 + i, face(second.get(i)));
        }
        for (int i = 0; i < second.size(); i++) {
            FrameResult r = d.next().getResult();
            assertEquals(100 + i, r.getSequence());
            assertMatches(expected.get(first.size() + i), r);
        }
        d.end();
        StreamResponse ended = d.next();
        assertEquals(SessionEvent.Kind.ENDED, ended.getEvent().getKind());
        assertEquals(Status.Code.OK, d.status().getCode());

        StreamClient e = call().send(SessionOpen.newBuilder().setResume(id).build());
        Status notFound = e.status();
        assertEquals(Status.Code.NOT_FOUND, notFound.getCode());
        assertTrue(notFound.getDescription().contains(id), notFound.toString());
    }

    @Test
    void frameBeforeOpenAndSecondOpenAreFailedPrecondition() throws Exception {
        StreamClient c = call().frame(1, face("face_a.png"));
        assertEquals(Status.Code.FAILED_PRECONDITION, c.status().getCode());
        StreamClient d = call().send(SessionOpen.getDefaultInstance());
        d.next();
        d.send(SessionOpen.getDefaultInstance());
        Status s = d.status();
        assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
        assertTrue(s.getDescription().contains("second open"), s.toString());
    }

    @Test
    void badFramesGetErrorsAndTheStreamGoesOn() throws Exception {
        StreamClient c = call().send(SessionOpen.getDefaultInstance());
        c.next();
        c.frame(1, ByteString.copyFromUtf8("not an image"));
        float[] nan = new float[3 * 112 * 112];
        nan[5] = Float.NaN;
        c.frame(StreamFrame.newBuilder().setSequence(2).setNormalized(StreamClient.rawTensor(nan)));
        c.frame(3, bigPng());
        c.frame(4, face("face_a.png"));
        FrameResult bad = c.next().getResult();
        assertEquals(1, bad.getSequence());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), bad.getError().getCode());
        assertTrue(bad.getError().getMessage().startsWith("frame.image"), bad.toString());
        FrameResult notFinite = c.next().getResult();
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), notFinite.getError().getCode());
        assertTrue(notFinite.getError().getMessage().contains("frame.normalized") && notFinite.getError().getMessage().contains("NaN"),
                notFinite.toString());
        FrameResult big = c.next().getResult();
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), big.getError().getCode());
        assertTrue(big.getError().getMessage().contains("9400x9400"), big.toString());
        FrameResult good = c.next().getResult();
        assertEquals(4, good.getSequence());
        assertTrue(good.hasAffect());
        c.requests.onCompleted();
        assertEquals(Status.Code.OK, c.status().getCode());
    }

    static ByteString bigPng;

    static synchronized ByteString bigPng() throws Exception {
        if (bigPng == null) {
            BufferedImage img = new BufferedImage(9400, 9400, BufferedImage.TYPE_BYTE_BINARY);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            bigPng = ByteString.copyFrom(out.toByteArray());
        }
        return bigPng;
    }

    @Test
    void oversizedPngInPredictIsRefusedFromItsHeader() throws Exception {
        ByteString png = bigPng();
        long t0 = System.nanoTime();
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> AffectServiceGrpc.newBlockingStub(channel).predict(PredictRequest.newBuilder()
                        .addFrames(Frame.newBuilder().setImage(png)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("frames[0].image") && e.getStatus().getDescription().contains("9400x9400"),
                e.getMessage());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "refused from the header, without decoding");
    }

    @Test
    void predictAnswersTheHeadsStatelessly() throws Exception {
        var blocking = AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        PredictRequest.Builder b = PredictRequest.newBuilder();
        for (String f : FACES) {
            b.addFrames(Frame.newBuilder().setImage(face(f)));
        }
        var response = blocking.predict(b.build());
        assertEquals(3, response.getPredictionsCount());
        for (int i = 0; i < FACES.size(); i++) {
            float[][] expected = offlineRun(List.of(FACES.get(i))).get(0);
            FrameResult asResult = FrameResult.newBuilder().setAffect(response.getPredictions(i).getAffect()).build();
            assertMatches(expected, asResult);
        }
        var vaOnly = blocking.predict(PredictRequest.newBuilder().addFrames(Frame.newBuilder().setImage(face("face_a.png")))
                .addTasks(dev.affect.proto.v1.Task.TASK_VA).build());
        assertTrue(vaOnly.getPredictions(0).getAffect().hasVa());
        assertTrue(!vaOnly.getPredictions(0).getAffect().hasExpression());
    }

    @Test
    void sessionCapIsResourceExhaustedAndIdleSessionsAreEvicted() throws Exception {
        List<StreamClient> calls = new ArrayList<>();
        Status refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            StreamClient c = call().send(SessionOpen.getDefaultInstance());
            long until = System.nanoTime() + 30_000_000_000L;
            while (c.responses.isEmpty() && !c.end.isDone() && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            if (!c.responses.isEmpty()) {
                c.responses.take();
                calls.add(c);
            } else {
                refused = c.status();
            }
        }
        assertTrue(refused != null, "never refused");
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode());
        assertTrue(refused.getDescription().contains("maximum of 3 sessions"), refused.toString());
        // idle for longer than the 1.5 s window: each attached session is evicted, announced, ABORTED
        for (StreamClient c : calls) {
            StreamResponse event = c.next();
            assertEquals(SessionEvent.Kind.EVICTED, event.getEvent().getKind(), event.toString());
            assertEquals(Status.Code.ABORTED, c.status().getCode());
        }
    }
}
