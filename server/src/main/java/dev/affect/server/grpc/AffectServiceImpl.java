package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.model.heads.Task;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.PredictResponse;
import dev.affect.proto.v1.StreamRequest;
import dev.affect.proto.v1.StreamResponse;
import dev.affect.server.face.FaceService;
import dev.affect.server.metrics.ServerMetrics;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import dev.affect.server.schedule.FrameJob;
import dev.affect.server.schedule.FrameScheduler;
import dev.affect.server.schedule.RowResult;
import dev.affect.server.schedule.Schedulers;
import dev.affect.server.stream.SessionSettings;
import dev.affect.server.stream.SessionStore;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * affect.v1.AffectService. Thin: decode and validate on the transport thread, enqueue on the
 * pipeline's {@link FrameScheduler}, and send results built on a pool thread (per call, in order).
 */
public final class AffectServiceImpl extends AffectServiceGrpc.AffectServiceImplBase {
    final PipelineRegistry registry;
    final Schedulers schedulers;
    final SessionStore sessions;
    final ServerMetrics metrics;
    final Executor responsePool;
    final int sessionCredit;
    final int maxFramesPerRequest;
    private final Set<StreamCall> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    /**
     * @param responsePool where results are built and sent (each call serialises its own work on it)
     * @param sessionCredit frames of one stream in flight (received, not yet answered) at most
     * @param maxFramesPerRequest frames of one Predict request at most
     */
    final FaceService faces;
    /** Faces of one frame an every-face stream follows at most. */
    final int maxFaces;

    public AffectServiceImpl(PipelineRegistry registry, Schedulers schedulers, SessionStore sessions, ServerMetrics metrics,
            Executor responsePool, int sessionCredit, int maxFramesPerRequest) {
        this(registry, schedulers, sessions, metrics, responsePool, sessionCredit, maxFramesPerRequest, null,
                dev.affect.server.app.ServerConfig.DEFAULT_MAX_FACES);
    }

    /**
     * @param faces the face detector for streams of whole frames, or null when the server has none
     * @param maxFaces faces of one frame an every-face stream follows at most (its max_faces may ask for fewer)
     */
    public AffectServiceImpl(PipelineRegistry registry, Schedulers schedulers, SessionStore sessions, ServerMetrics metrics,
            Executor responsePool, int sessionCredit, int maxFramesPerRequest, FaceService faces, int maxFaces) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.schedulers = Objects.requireNonNull(schedulers, "schedulers");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.responsePool = Objects.requireNonNull(responsePool, "responsePool");
        this.sessionCredit = sessionCredit;
        this.maxFramesPerRequest = maxFramesPerRequest;
        this.faces = faces;
        if (maxFaces < 1) {
            throw new IllegalArgumentException("maxFaces must be at least 1, got " + maxFaces);
        }
        this.maxFaces = maxFaces;
    }

    @Override
    public StreamObserver<StreamRequest> stream(StreamObserver<StreamResponse> responses) {
        ServerCallStreamObserver<StreamResponse> out = (ServerCallStreamObserver<StreamResponse>) responses;
        StreamCall call = new StreamCall(this, out);
        streams.add(call);
        call.start();
        if (shuttingDown) {
            call.shutDown();
        }
        return call;
    }

    void ended(StreamCall call) {
        streams.remove(call);
    }

    /** Tells every attached stream the server is going away: in-flight frames are answered, then UNAVAILABLE. */
    public void shutDown() {
        shuttingDown = true;
        for (StreamCall c : List.copyOf(streams)) {
            c.shutDown();
        }
    }

    /** Streams still open. */
    public int openStreams() {
        return streams.size();
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> responses) {
        Context context = Context.current();
        ServerCallStreamObserver<PredictResponse> call = (ServerCallStreamObserver<PredictResponse>) responses;
        List<Object> owners = new ArrayList<>();
        FrameScheduler[] scheduler = new FrameScheduler[1];
        call.setOnCancelHandler(() -> {
            if (scheduler[0] != null) {
                owners.forEach(scheduler[0]::cancel);
            }
        });
        long received = System.nanoTime();
        ServedPipeline pipeline;
        List<Task> tasks;
        List<FrameJob> jobs = new ArrayList<>();
        int n = request.getFramesCount();
        RowResult[] results = new RowResult[n];
        AtomicInteger remaining = new AtomicInteger(n);
        try {
            if (shuttingDown) {
                throw new dev.affect.server.schedule.ServerUnavailableException("the server is shutting down");
            }
            if (n == 0) {
                throw new InvalidInputException("frames", "a request needs at least one frame");
            }
            if (n > maxFramesPerRequest) {
                throw new InvalidInputException("frames", "at most " + maxFramesPerRequest + " frames per request, got " + n);
            }
            pipeline = registry.resolve(request.getModel());
            tasks = SessionSettings.tasks(pipeline, ProtoMapping.tasks(request.getTasksList(), "tasks"), "tasks");
            FrameScheduler s = schedulers.of(pipeline);
            for (int i = 0; i < n; i++) {
                Frame f = request.getFrames(i);
                String field = ProtoMapping.frameField(i);
                FrameJob.FrameData data = switch (f.getDataCase()) {
                    case IMAGE -> ProtoMapping.image(field, f.getImage(), s.budget());
                    case NORMALIZED -> ProtoMapping.normalized(field, f.getNormalized());
                    case DATA_NOT_SET -> throw new InvalidInputException(field, "neither image nor normalized is set");
                };
                int index = i;
                Object owner = new Object();
                owners.add(owner);
                jobs.add(new FrameJob(owner, data, field, null, true, context::isCancelled, received, r -> {
                    results[index] = r;
                    if (remaining.decrementAndGet() == 0) {
                        responsePool.execute(() -> answer(pipeline, tasks, request, results, responses, context, received));
                    }
                }));
            }
            scheduler[0] = s;
            s.submit(jobs);
        } catch (RuntimeException e) {
            metrics.failed(request.getModel(), GrpcStatusMapper.toStatus(e, context).getStatus().getCode().name(), false);
            responses.onError(GrpcStatusMapper.toStatus(e, context));
        }
    }

    private void answer(ServedPipeline pipeline, List<Task> tasks, PredictRequest request, RowResult[] results,
            StreamObserver<PredictResponse> responses, Context context, long received) {
        PredictResponse response;
        try {
            PredictResponse.Builder b = PredictResponse.newBuilder().setModel(pipeline.name());
            for (RowResult r : results) {
                if (r.error() != null) {
                    throw r.error();
                }
                b.addPredictions(ProtoMapping.prediction(pipeline, tasks, r, request.getIncludeEmbedding()));
            }
            response = b.build();
        } catch (RuntimeException e) {
            var status = GrpcStatusMapper.toStatus(e, context);
            for (int i = 0; i < results.length; i++) {
                metrics.failed(pipeline.name(), status.getStatus().getCode().name(), true);
            }
            responses.onError(status);
            return;
        }
        long latency = System.nanoTime() - received;
        for (int i = 0; i < results.length; i++) {
            metrics.succeeded(pipeline.name(), latency);
        }
        try {
            responses.onNext(response);
            responses.onCompleted();
        } catch (io.grpc.StatusRuntimeException e) {
            // cancelled meanwhile: nothing to answer
            if (e.getStatus().getCode() != Status.Code.CANCELLED) {
                throw e;
            }
        }
    }
}
