package dev.affect.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.affect.engine.backend.Backend;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.Task;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.PredictResponse;
import dev.affect.server.grpc.AffectServiceImpl;
import dev.affect.server.metrics.ServerMetrics;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.DecodeBudget;
import dev.affect.server.schedule.FrameScheduler;
import dev.affect.server.schedule.SchedulerConfig;
import dev.affect.server.schedule.Schedulers;
import dev.affect.server.stream.SessionStore;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Predict against the scheduler's bounds, in process, with the decode pool behind a gate the test
 * holds closed: frames then stay queued (a blocked device path) for as long as the test wants.
 * Queue full, cancellation freeing queue slots at once, deadlines, and Predict's bad requests.
 */
class SchedulerBoundsTest {
    static Backend backend;
    static PipelineRegistry registry;
    static ServedPipeline pipeline;
    static ByteString faceA;

    Gate gate;
    Schedulers schedulers;
    SessionStore sessions;
    ExecutorService responsePool;
    Server server;
    ManagedChannel channel;

    /** Holds decode tasks until opened. */
    static final class Gate implements Executor {
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        final List<Runnable> held = new ArrayList<>();
        boolean open;

        @Override
        public synchronized void execute(Runnable r) {
            if (open) {
                pool.execute(r);
            } else {
                held.add(r);
            }
        }

        synchronized void open() {
            open = true;
            held.forEach(pool::execute);
            held.clear();
        }
    }

    @BeforeAll
    static void load() throws Exception {
        faceA = ByteString.copyFrom(Fixtures.bytes("face_a.png"));
        backend = Fixtures.backend();
        registry = new PipelineRegistry();
        pipeline = registry.register(Fixtures.pipeline("ddamfn", backend));
        Ddamfn vaBackbone = Ddamfn.load(Fixtures.reference("ddamfn_8_class.pth"), backend);
        Head va = Head.load(Fixtures.training("lstm_va_adam/init.safetensors"), backend);
        registry.register(new ServedPipeline("va-only", vaBackbone, Map.of(Task.VA, va), "fixture", false));
    }

    @AfterAll
    static void unload() {
        if (registry != null) {
            registry.close();
        }
    }

    void start(SchedulerConfig config) throws Exception {
        start(config, DecodeBudget.of(4096L * 4096, 4 * 4096L * 4096));
    }

    void start(SchedulerConfig config, DecodeBudget budget) throws Exception {
        gate = new Gate();
        ServerMetrics metrics = new ServerMetrics();
        schedulers = new Schedulers(config, budget, gate, metrics);
        sessions = new SessionStore(16, Duration.ofSeconds(30));
        responsePool = Executors.newFixedThreadPool(2);
        AffectServiceImpl service = new AffectServiceImpl(registry, schedulers, sessions, metrics, responsePool, 4, 64);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(Executors.newFixedThreadPool(4)).addService(service)
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (gate != null) {
            gate.open();
        }
        Fixtures.shutdown(channel, server, 5);
        if (schedulers != null) {
            schedulers.close();
        }
        if (sessions != null) {
            sessions.close();
        }
        if (responsePool != null) {
            responsePool.shutdown();
        }
        if (gate != null) {
            gate.pool.shutdown();
        }
    }

    FrameScheduler scheduler() {
        return schedulers.of(pipeline);
    }

    static PredictRequest faces(int n) {
        PredictRequest.Builder b = PredictRequest.newBuilder();
        for (int i = 0; i < n; i++) {
            b.addFrames(Frame.newBuilder().setImage(faceA));
        }
        return b.build();
    }

    static void await(IntSupplier value, int expected, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (value.getAsInt() != expected && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        assertEquals(expected, value.getAsInt());
    }

    /** A Predict whose outcome the test collects. */
    static final class Pending implements StreamObserver<PredictResponse> {
        final CompletableFuture<PredictResponse> response = new CompletableFuture<>();

        @Override
        public void onNext(PredictResponse value) {
            response.complete(value);
        }

        @Override
        public void onError(Throwable t) {
            response.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
        }

        Status status() throws Exception {
            try {
                response.get(60, TimeUnit.SECONDS);
                return Status.OK;
            } catch (java.util.concurrent.ExecutionException e) {
                return Status.fromThrowable(e.getCause());
            }
        }
    }

    @Test
    void aFullQueueIsResourceExhaustedAndQueuedFramesStillRun() throws Exception {
        start(SchedulerConfig.defaults().withQueue(4, 1L << 30));
        Pending first = new Pending();
        AffectServiceGrpc.newStub(channel).predict(faces(3), first);
        await(() -> scheduler().queuedFrames(), 3, Duration.ofSeconds(10));
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class,
                () -> AffectServiceGrpc.newBlockingStub(channel).predict(faces(2)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
        assertTrue(full.getStatus().getDescription().contains("queue is full"), full.getMessage());
        assertEquals(3, scheduler().queuedFrames(), "the refused request queued nothing");
        // one more frame fits
        Pending fits = new Pending();
        AffectServiceGrpc.newStub(channel).predict(faces(1), fits);
        await(() -> scheduler().queuedFrames(), 4, Duration.ofSeconds(10));
        gate.open();
        assertEquals(Status.Code.OK, first.status().getCode());
        assertEquals(3, first.response.get().getPredictionsCount());
        assertEquals(Status.Code.OK, fits.status().getCode());
        await(() -> scheduler().queuedFrames(), 0, Duration.ofSeconds(10));
    }

    @Test
    void aCancelledCallFreesItsQueueSlotsAtOnceEvenForFramesPlacedInBatches() throws Exception {
        // batches of 2 in a ring of 3: 6 of the 10 frames sit in batch rows (their decode held), 4 wait
        start(SchedulerConfig.defaults().withMaxBatch(2).withQueue(10, 1L << 30));
        Context.CancellableContext context = Context.current().withCancellation();
        Pending cancelled = new Pending();
        context.run(() -> AffectServiceGrpc.newStub(channel).predict(faces(10), cancelled));
        await(() -> scheduler().queuedFrames(), 10, Duration.ofSeconds(10));
        context.cancel(null);
        assertEquals(Status.Code.CANCELLED, cancelled.status().getCode());
        // nothing ran (the gate is still closed), yet every slot is free
        await(() -> scheduler().queuedFrames(), 0, Duration.ofSeconds(2));
        Pending next = new Pending();
        AffectServiceGrpc.newStub(channel).predict(faces(10), next);
        await(() -> scheduler().queuedFrames(), 10, Duration.ofSeconds(10));
        gate.open();
        // the batches holding dropped rows run (without them) and the ring goes on
        assertEquals(Status.Code.OK, next.status().getCode());
        assertEquals(10, next.response.get().getPredictionsCount());
        await(() -> scheduler().queuedFrames(), 0, Duration.ofSeconds(10));
    }

    @Test
    void aPredictPastItsDeadlineIsDeadlineExceededAndLeavesTheQueue() throws Exception {
        start(SchedulerConfig.defaults());
        StatusRuntimeException late = assertThrows(StatusRuntimeException.class,
                () -> AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                        .predict(faces(2)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());
        await(() -> scheduler().queuedFrames(), 0, Duration.ofSeconds(2));
        gate.open();
        var ok = AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).predict(faces(1));
        assertEquals(1, ok.getPredictionsCount());
    }

    @Test
    void aNanTensorIsInvalidArgumentNamingItsFrame() throws Exception {
        start(SchedulerConfig.defaults());
        gate.open();
        float[] nan = new float[3 * 112 * 112];
        nan[7] = Float.NaN;
        PredictRequest request = PredictRequest.newBuilder().addFrames(Frame.newBuilder().setImage(faceA))
                .addFrames(Frame.newBuilder().setNormalized(StreamClient.fp32Tensor(new float[3 * 112 * 112])))
                .addFrames(Frame.newBuilder().setNormalized(StreamClient.rawTensor(nan))).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).predict(request));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        String d = e.getStatus().getDescription();
        assertTrue(d.startsWith("frames[2].normalized.raw_contents") && d.contains("NaN"), d);
    }

    @Test
    void aTaskThePipelineHasNoHeadForIsInvalidArgument() throws Exception {
        start(SchedulerConfig.defaults());
        gate.open();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .predict(PredictRequest.newBuilder().setModel("va-only").addFrames(Frame.newBuilder().setImage(faceA))
                                .addTasks(dev.affect.proto.v1.Task.TASK_VA).addTasks(dev.affect.proto.v1.Task.TASK_AU).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("tasks") && e.getStatus().getDescription().contains("AU"),
                e.getStatus().getDescription());
        PredictResponse va = AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .predict(PredictRequest.newBuilder().setModel("va-only").addFrames(Frame.newBuilder().setImage(faceA)).build());
        assertTrue(va.getPredictions(0).getAffect().hasVa());
        assertTrue(!va.getPredictions(0).getAffect().hasActionUnits());
    }

    @Test
    void theServersPerFrameLimitIsTheOneTheDecoderEnforces() throws Exception {
        // above the engine's default of 4096x4096: the decode threads must use the server's limit
        start(SchedulerConfig.defaults(), DecodeBudget.of(4500L * 4500, 4500L * 4500));
        gate.open();
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4200, 4200,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        PredictResponse big = AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .predict(PredictRequest.newBuilder().addFrames(Frame.newBuilder().setImage(ByteString.copyFrom(png.toByteArray())))
                        .build());
        assertEquals(1, big.getPredictionsCount());
    }

    @Test
    void aLowPerFrameLimitRefusesAnImageFromItsHeaderNamingTheFrame() throws Exception {
        start(SchedulerConfig.defaults(), DecodeBudget.of(50L * 50, 50L * 50));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> AffectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .predict(PredictRequest.newBuilder().addFrames(Frame.newBuilder().setNormalized(
                                StreamClient.fp32Tensor(new float[3 * 112 * 112]))).addFrames(Frame.newBuilder().setImage(faceA))
                                .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("frames[1].image") && e.getStatus().getDescription().contains("2500"),
                e.getStatus().getDescription());
        assertEquals(0, scheduler().queuedFrames(), "refused before queueing (the gate is closed)");
    }

    @Test
    void anUnloadedPipelineGetsNoNewSchedulerNorSessionWhileUsersStillHoldIt() throws Exception {
        start(SchedulerConfig.defaults());
        ServedPipeline vaOnly = registry.resolve("va-only");
        FrameScheduler first = schedulers.of(vaOnly);
        schedulers.unloaded(vaOnly);
        assertTrue(vaOnly.isOpen(), "not retired by the registry in this test");
        assertThrows(dev.affect.server.schedule.ModelNotFoundException.class, () -> schedulers.of(vaOnly));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!first.isTerminated() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertTrue(first.isTerminated(), "the unloaded pipeline's device thread stopped");
        var settings = dev.affect.server.stream.SessionSettings.of(vaOnly, List.of(), 0, Map.of(), 0);
        sessions.evictPipeline(vaOnly);
        assertThrows(dev.affect.server.schedule.ModelNotFoundException.class,
                () -> sessions.open(vaOnly, first, settings, message -> { }));
    }

    @Test
    void aCancelledStreamFreesItsQueueSlotsAtOnce() throws Exception {
        start(SchedulerConfig.defaults().withMaxBatch(2));
        StreamClient c = new StreamClient(AffectServiceGrpc.newStub(channel));
        c.open(dev.affect.proto.v1.SessionOpen.getDefaultInstance());
        for (int i = 0; i < 4; i++) {
            c.frame(i, faceA);
        }
        // one session's frames run one per batch: one in a batch row of each of three buffers, one waiting
        await(() -> scheduler().queuedFrames(), 4, Duration.ofSeconds(10));
        ((io.grpc.stub.ClientCallStreamObserver<dev.affect.proto.v1.StreamRequest>) c.requests).cancel("test", null);
        assertEquals(Status.Code.CANCELLED, c.status().getCode());
        await(() -> scheduler().queuedFrames(), 0, Duration.ofSeconds(2));
        gate.open();
        StreamClient d = new StreamClient(AffectServiceGrpc.newStub(channel));
        d.open(dev.affect.proto.v1.SessionOpen.getDefaultInstance());
        d.frame(7, faceA);
        dev.affect.proto.v1.FrameResult r = d.results(1).getFirst();
        assertEquals(7, r.getSequence());
        assertTrue(r.hasAffect(), r.toString());
        assertEquals(1, r.getBatchSize(), "a dropped row sharing its batch is not counted in it");
    }
}
