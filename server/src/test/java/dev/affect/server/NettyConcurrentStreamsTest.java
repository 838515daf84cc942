package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.SessionEvent;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.SessionStarted;
import dev.affect.proto.v1.StreamFrame;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Eight concurrent streams over a real TCP port (Netty, port 0): frames of several sessions share
 * batches, yet every session's results equal its frames run offline through Pipeline.run from its
 * own state; resume on a new call continues that state; an idle session is evicted, announced.
 */
class NettyConcurrentStreamsTest {
    static final int STREAMS = 8;
    static final int FRAMES = 12;
    static final int FIRST_CALL = 7;
    static final Duration IDLE = Duration.ofSeconds(4);
    static final List<String> FACES = List.of("face_a.png", "face_b.jpg", "face_c.png");

    static Backend backend;
    static ServedPipeline offline;
    static ServerMain server;
    static ManagedChannel channel;
    static AffectServiceGrpc.AffectServiceStub stub;

    @BeforeAll
    static void start() throws Exception {
        backend = Fixtures.backend();
        offline = Fixtures.pipeline("offline", backend);
        PipelineRegistry registry = new PipelineRegistry();
        registry.register(Fixtures.pipeline("ddamfn", backend));
        server = ServerMain.create(ServerConfig.defaults().withMetricsPort(-1).withPort(0).withSessions(64, IDLE, 4),
                registry);
        int port = server.start();
        assertTrue(port > 0, "bound port " + port);
        channel = Grpc.newChannelBuilderForAddress("localhost", port, InsecureChannelCredentials.create()).build();
        stub = AffectServiceGrpc.newStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        Fixtures.shutdown(channel, server);
        if (offline != null) {
            offline.retire();
        }
    }

    /** One frame of a stream: a fixture image, or a normalised tensor sent as raw bytes or as floats. */
    record Input(String image, float[] tensor, boolean raw) {
        StreamFrame.Builder toProto(long seq) throws Exception {
            StreamFrame.Builder f = StreamFrame.newBuilder().setSequence(seq).setTimestampUs(1000 + seq);
            if (image != null) {
                return f.setImage(ByteString.copyFrom(Fixtures.bytes(image)));
            }
            return f.setNormalized(raw ? StreamClient.rawTensor(tensor) : StreamClient.fp32Tensor(tensor));
        }
    }

    /** Stream k's frames: the three faces in a stream-specific order, and seeded random tensors. */
    static List<Input> inputs(int k) {
        Random random = new Random(1000 + k);
        List<Input> out = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            int pick = random.nextInt(5);
            if (pick < 3) {
                out.add(new Input(FACES.get((pick + k) % 3), null, false));
            } else {
                float[] t = new float[3 * 112 * 112];
                for (int j = 0; j < t.length; j++) {
                    t[j] = (float) random.nextGaussian();
                }
                out.add(new Input(null, t, pick == 3));
            }
        }
        return out;
    }

    /** The offline pipeline's values of the frames as one clip from a zero state: [T][va, expr, au]. */
    static List<float[][]> offlineRun(List<Input> inputs) throws Exception {
        FacePreprocessor preprocessor = new FacePreprocessor(ImageDecoder.best());
        return OfflineReference.run(offline, inputs.size(), (clip, i) -> {
            Input in = inputs.get(i);
            if (in.image() != null) {
                preprocessor.writeInto(clip, i, Fixtures.reference(in.image()));
            } else {
                clip.slice(i, i + 1).copyFrom(in.tensor());
            }
        });
    }

    /** Runs stream k: FIRST_CALL frames, half-close, resume on a new call, the rest, end. Its batch sizes. */
    static List<Integer> runStream(int k, List<Input> inputs, List<float[][]> expected) throws Exception {
        List<Integer> batchSizes = new ArrayList<>();
        StreamClient first = new StreamClient(stub);
        SessionStarted started = first.open(SessionOpen.getDefaultInstance());
        assertTrue(!started.getResumed());
        String id = started.getSessionId();
        for (int i = 0; i < FIRST_CALL; i++) {
            first.frame(inputs.get(i).toProto(100L * k + i));
        }
        first.requests.onCompleted();
        List<FrameResult> results = new ArrayList<>(first.results(FIRST_CALL));
        assertEquals(Status.Code.OK, first.status().getCode(), "stream " + k + " first call");

        StreamClient second = new StreamClient(stub);
        SessionStarted resumed = second.open(SessionOpen.newBuilder().setResume(id).build());
        assertTrue(resumed.getResumed(), resumed.toString());
        assertEquals(id, resumed.getSessionId());
        assertEquals(FIRST_CALL, resumed.getFramesAnswered());
        for (int i = FIRST_CALL; i < FRAMES; i++) {
            second.frame(inputs.get(i).toProto(100L * k + i));
        }
        second.end();
        results.addAll(second.results(FRAMES - FIRST_CALL));
        second.assertEvent(SessionEvent.Kind.ENDED, id);
        assertEquals(Status.Code.OK, second.status().getCode(), "stream " + k + " resumed call");

        for (int i = 0; i < FRAMES; i++) {
            FrameResult r = results.get(i);
            assertEquals(100L * k + i, r.getSequence(), "stream " + k + " order");
            assertEquals(1000 + 100L * k + i, r.getTimestampUs());
            assertTrue(r.getBatchSize() >= 1, r.toString());
            OfflineReference.assertMatches(expected.get(i), r, "stream " + k + " frame " + i);
            batchSizes.add(r.getBatchSize());
        }
        return batchSizes;
    }

    @Test
    void eightConcurrentStreamsMatchTheirOfflineRunsAcrossSharedBatchesAndResume() throws Exception {
        List<List<Input>> inputs = new ArrayList<>();
        List<List<float[][]>> expected = new ArrayList<>();
        for (int k = 0; k < STREAMS; k++) {
            inputs.add(inputs(k));
            expected.add(offlineRun(inputs.get(k)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
        try {
            List<Future<List<Integer>>> runs = new ArrayList<>();
            for (int k = 0; k < STREAMS; k++) {
                int stream = k;
                runs.add(pool.submit(() -> runStream(stream, inputs.get(stream), expected.get(stream))));
            }
            int maxBatch = 0;
            for (Future<List<Integer>> f : runs) {
                for (int size : f.get(5, TimeUnit.MINUTES)) {
                    maxBatch = Math.max(maxBatch, size);
                }
            }
            assertTrue(maxBatch > 1, "frames of concurrent sessions never shared a batch (largest batch " + maxBatch + ")");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anIdleSessionIsEvictedAnnouncedThenAborted() throws Exception {
        StreamClient c = new StreamClient(stub);
        String id = c.open(SessionOpen.getDefaultInstance()).getSessionId();
        c.frame(1, ByteString.copyFrom(Fixtures.bytes("face_a.png")));
        assertTrue(c.results(1).getFirst().hasAffect());
        long t0 = System.nanoTime();
        c.assertEvent(SessionEvent.Kind.EVICTED, id);
        Status s = c.status();
        assertEquals(Status.Code.ABORTED, s.getCode(), s.toString());
        assertTrue(s.getDescription().contains(id), s.toString());
        assertTrue(System.nanoTime() - t0 > IDLE.toNanos() / 2, "evicted before its idle window");
        StreamClient again = new StreamClient(stub);
        again.requests.onNext(dev.affect.proto.v1.StreamRequest.newBuilder()
                .setOpen(SessionOpen.newBuilder().setResume(id)).build());
        assertEquals(Status.Code.NOT_FOUND, again.status().getCode());
    }
}
