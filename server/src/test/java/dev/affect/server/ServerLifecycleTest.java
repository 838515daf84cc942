package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.FrameResult;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.SessionEvent;
import dev.affect.proto.v1.SessionOpen;
import dev.affect.proto.v1.StreamRequest;
import dev.affect.proto.v1.StreamResponse;
import dev.affect.server.app.ServerConfig;
import dev.affect.server.app.ServerMain;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shutdown and pipeline unload with streams attached, in process, through ServerMain's wiring. */
class ServerLifecycleTest {
    InProcessServer served;
    ServerMain server;
    ManagedChannel channel;
    AffectServiceGrpc.AffectServiceStub stub;

    void start(PipelineRegistry registry) throws Exception {
        served = InProcessServer.start(ServerConfig.defaults().withMetricsPort(-1).withShutdownGrace(Duration.ofSeconds(60)), registry);
        server = served.server;
        channel = served.channel;
        stub = AffectServiceGrpc.newStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        if (served != null) {
            served.close();
        }
    }

    /** Waits until the server holds a frame received and not yet answered (its pending-frames gauge). */
    void awaitFramesInFlight() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pending() < 1 && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        assertTrue(pending() >= 1, "no frame in flight");
    }

    double pending() {
        double sum = 0;
        for (var snapshot : server.metrics().registry().scrape()) {
            if (snapshot.getMetadata().getName().equals("nv_inference_pending_request_count")) {
                for (var point : snapshot.getDataPoints()) {
                    sum += ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
                }
            }
        }
        return sum;
    }

    static ByteString face(String file) throws Exception {
        return ByteString.copyFrom(Fixtures.bytes(file));
    }

    @Test
    void shutdownTellsStreamsAnswersTheirFramesThenEndsThemUnavailable() throws Exception {
        start(Fixtures.registry());
        StreamClient busy = new StreamClient(stub);
        String busyId = busy.open(SessionOpen.getDefaultInstance()).getSessionId();
        StreamClient idle = new StreamClient(stub);
        String idleId = idle.open(SessionOpen.getDefaultInstance()).getSessionId();
        busy.frame(0, face("face_a.png"));
        assertTrue(busy.results(1).getFirst().hasAffect());
        for (int i = 1; i <= 4; i++) {
            busy.frame(i, face(i % 2 == 0 ? "face_b.jpg" : "face_c.png"));
        }
        awaitFramesInFlight(); // the server has taken a frame it has not answered yet
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);

        idle.assertEvent(SessionEvent.Kind.SHUTTING_DOWN, idleId);
        assertEquals(Status.Code.UNAVAILABLE, idle.status().getCode());

        List<FrameResult> results = new ArrayList<>();
        int events = 0;
        Status end = busy.status();
        for (StreamResponse r : busy.responses) {
            if (r.hasEvent()) {
                assertEquals(SessionEvent.Kind.SHUTTING_DOWN, r.getEvent().getKind());
                assertEquals(busyId, r.getEvent().getSessionId());
                events++;
            } else {
                results.add(r.getResult());
            }
        }
        assertEquals(1, events, "one SHUTTING_DOWN event");
        assertEquals(Status.Code.UNAVAILABLE, end.getCode(), end.toString());
        assertTrue(!results.isEmpty(), "the frames the server had received were answered");
        for (int i = 0; i < results.size(); i++) {
            assertEquals(i + 1, results.get(i).getSequence(), "answered in order, none skipped");
            assertTrue(results.get(i).hasAffect(), results.get(i).toString());
        }
        closing.get(60, TimeUnit.SECONDS);
        StatusRuntimeException after = assertThrows(StatusRuntimeException.class,
                () -> AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .predict(PredictRequest.newBuilder().addFrames(Frame.newBuilder().setImage(face("face_a.png"))).build()));
        assertEquals(Status.Code.UNAVAILABLE, after.getStatus().getCode());
    }

    @Test
    void unloadingAPipelineEvictsItsSessionsAndClosesItsModelsAfterInFlightFrames() throws Exception {
        PipelineRegistry registry = new PipelineRegistry();
        ServedPipeline doomed = registry.register(Fixtures.pipeline("doomed", Fixtures.backend()));
        start(registry);
        List<StreamClient> streams = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            StreamClient c = new StreamClient(stub);
            ids.add(c.open(SessionOpen.newBuilder().setPipeline("doomed").build()).getSessionId());
            c.frame(0, face("face_a.png"));
            streams.add(c);
        }
        for (StreamClient c : streams) {
            assertTrue(c.results(1).getFirst().hasAffect());
            for (int i = 1; i <= 3; i++) {
                c.frame(i, face("face_b.jpg"));
            }
        }
        awaitFramesInFlight();
        long t0 = System.nanoTime();
        server.registry().unload("doomed");
        long unloadMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(unloadMillis < 2000, "unload waited " + unloadMillis + " ms for in-flight frames");
        for (int k = 0; k < streams.size(); k++) {
            StreamClient c = streams.get(k);
            SessionEvent e = c.nextEvent();
            assertEquals(SessionEvent.Kind.EVICTED, e.getKind(), e.toString());
            assertEquals(ids.get(k), e.getSessionId());
            assertTrue(e.getMessage().contains("doomed"), e.toString());
            Status s = c.status();
            assertEquals(Status.Code.ABORTED, s.getCode(), s.toString());
            assertTrue(c.responses.isEmpty(), "nothing after the event: " + c.responses);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (doomed.isOpen() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertFalse(doomed.isOpen(), "the unloaded pipeline's models were never closed");

        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                () -> AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .predict(PredictRequest.newBuilder().setModel("doomed")
                                .addFrames(Frame.newBuilder().setImage(face("face_a.png"))).build()));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
        StreamClient late = new StreamClient(stub);
        late.requests.onNext(StreamRequest.newBuilder().setOpen(SessionOpen.newBuilder().setPipeline("doomed")).build());
        assertEquals(Status.Code.NOT_FOUND, late.status().getCode());
        StreamClient resume = new StreamClient(stub);
        resume.requests.onNext(StreamRequest.newBuilder().setOpen(SessionOpen.newBuilder().setResume(ids.get(0))).build());
        assertEquals(Status.Code.NOT_FOUND, resume.status().getCode());
    }
}
