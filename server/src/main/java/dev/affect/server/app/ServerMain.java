package dev.affect.server.app;

import dev.affect.proto.inference.GRPCInferenceServiceGrpc;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.ModelServiceGrpc;
import dev.affect.server.face.FaceService;
import dev.affect.server.grpc.AffectServiceImpl;
import dev.affect.server.grpc.EvaluationServiceImpl;
import dev.affect.server.grpc.ModelServiceImpl;
import dev.affect.server.grpc.TrainingServiceImpl;
import dev.affect.server.jobs.DataRoots;
import dev.affect.server.jobs.HeadPromoter;
import dev.affect.server.jobs.JobManager;
import dev.affect.server.jobs.JobStore;
import dev.affect.server.jobs.TrainingSetup;
import dev.affect.engine.model.heads.HeadOptions;
import dev.affect.proto.v1.EvaluationServiceGrpc;
import dev.affect.proto.v1.TrainingServiceGrpc;
import dev.affect.server.metrics.MetricsEndpoint;
import dev.affect.server.oip.InferenceServiceImpl;
import dev.affect.server.metrics.ServerMetrics;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.repository.ModelRepository;
import dev.affect.server.schedule.DecodeBudget;
import dev.affect.server.schedule.Schedulers;
import dev.affect.server.stream.SessionStore;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Builds and runs the gRPC server; the one place where services, executors and transport settings
 * are wired (docs/style.md (e)).
 *
 * <p>Serves affect.v1.AffectService (Predict and Stream through one frame scheduler per pipeline),
 * affect.v1.ModelService, affect.v1.TrainingService (jobs run by the {@link TrainingSetup}'s runner, or
 * FAILED_PRECONDITION without one), affect.v1.EvaluationService (pipelines scored on data under the data roots or on
 * streamed labelled frames), the Open Inference Protocol (inference.GRPCInferenceService), grpc.health.v1.Health (SERVING per service while up), server reflection
 * v1 and v1alpha, and Prometheus metrics on their own port. Owns the registry it is given.
 */
public final class ServerMain implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServerMain.class.getName());

    /** Per-stream HTTP/2 receive window: a few encoded frames. */
    static final int FLOW_CONTROL_WINDOW_BYTES = 128 * 1024;

    private final ServerConfig config;
    private final PipelineRegistry registry;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ExecutorService handlers;
    private final ExecutorService decodePool;
    private final ExecutorService responsePool;
    private final Schedulers schedulers;
    private final SessionStore sessions;
    private final AffectServiceImpl affect;
    private final ModelServiceImpl models;
    private final InferenceServiceImpl inference;
    private final JobManager jobs;
    private final EvaluationServiceImpl evaluations;
    private final ReplacedPipelineReaper reaper;
    private final FaceService faces;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Server server;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private MetricsEndpoint metricsEndpoint;
    private boolean closing;

    private ServerMain(ServerConfig config, PipelineRegistry registry, ModelRepository repository, TrainingSetup training,
            FaceService faces, ServerBuilder<?> transport) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.handlers = Executors.newFixedThreadPool(config.handlerThreads(),
                Thread.ofPlatform().name("affect-grpc-", 0).daemon(true).factory());
        this.decodePool = Executors.newFixedThreadPool(config.scheduling().decodeThreads(),
                Thread.ofPlatform().name("affect-decode-", 0).daemon(true).factory());
        this.responsePool = Executors.newFixedThreadPool(config.responseThreads(),
                Thread.ofPlatform().name("affect-respond-", 0).daemon(true).factory());
        this.schedulers = new Schedulers(config.scheduling(),
                DecodeBudget.of(config.maxFramePixels(), config.decodePixelBudget()), decodePool, metrics);
        this.sessions = new SessionStore(config.maxSessions(), config.idleTimeout());
        metrics.sessionsActive(sessions::size);
        registry.onUnload(p -> {
            sessions.evictPipeline(p);
            schedulers.unloaded(p);
        });
        this.models = repository == null ? new ModelServiceImpl(registry) : new ModelServiceImpl(registry, repository);
        this.inference = new InferenceServiceImpl(registry, metrics, faces, config.maxFramePixels());
        this.reaper = new ReplacedPipelineReaper(schedulers);
        registry.onReplace((old, next) -> reaper.replaced(old));
        DataRoots roots = DataRoots.of(training.dataRoots());
        this.jobs = training.runner() == null ? null
                : new JobManager(new JobStore(training.jobsDir()), training.runner(), training.settings());
        HeadPromoter promoter = new HeadPromoter(registry,
                repository == null ? HeadOptions.defaults() : repository.loader().headOptions());
        TrainingServiceImpl trainingService = new TrainingServiceImpl(jobs, roots, promoter, responsePool);
        this.evaluations = new EvaluationServiceImpl(registry, roots);
        this.faces = faces;
        this.affect = new AffectServiceImpl(registry, schedulers, sessions, metrics, responsePool, config.sessionCredit(),
                config.maxFramesPerRequest(), faces, config.maxFaces());
        if (faces != null) {
            metrics.faceTracksActive(faces::tracksHeld);
        }
        transport.executor(handlers)
                .maxInboundMessageSize(config.maxInboundMessageBytes())
                .addService(affect)
                .addService(models)
                .addService(inference)
                .addService(trainingService)
                .addService(evaluations)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(ProtoReflectionService.newInstance());
        this.server = transport.build();
    }

    /** A server on TCP (Netty) at {@code config.bindAddress():config.port()}, plaintext, without a model repository. */
    public static ServerMain create(ServerConfig config, PipelineRegistry registry) {
        return create(config, registry, (ModelRepository) null);
    }

    /**
     * A server on TCP (Netty) at {@code config.bindAddress():config.port()}, plaintext; ModelService
     * loads pipelines from {@code repository} (null: LoadModel answers FAILED_PRECONDITION).
     */
    public static ServerMain create(ServerConfig config, PipelineRegistry registry, ModelRepository repository) {
        return create(config, registry, repository, TrainingSetup.none());
    }

    /**
     * As {@link #create(ServerConfig, PipelineRegistry, ModelRepository)}, with training jobs and
     * evaluations over the data roots and jobs folder of {@code training}.
     */
    public static ServerMain create(ServerConfig config, PipelineRegistry registry, ModelRepository repository,
            TrainingSetup training) {
        return create(config, registry, repository, training, (FaceService) null);
    }

    /**
     * As {@link #create(ServerConfig, PipelineRegistry, ModelRepository, TrainingSetup)}, with a face
     * detector for streams of whole camera frames (null: none; the server closes it).
     */
    public static ServerMain create(ServerConfig config, PipelineRegistry registry, ModelRepository repository,
            TrainingSetup training, FaceService faces) {
        return new ServerMain(config, registry, repository, training, faces, netty(config));
    }

    private static ServerBuilder<?> netty(ServerConfig config) {
        return NettyServerBuilder.forAddress(new InetSocketAddress(config.bindAddress(), config.port()),
                        InsecureServerCredentials.create())
                .keepAliveTime(config.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .permitKeepAliveTime(1, TimeUnit.MINUTES)
                // Manual flow control bounds the frames a stream has handed to the application; the HTTP/2
                // window bounds what waits unread in the transport. grpc-java's 1 MiB default holds ~40
                // camera frames (over a second at 30 fps) per stream before a fast client is slowed.
                .flowControlWindow(FLOW_CONTROL_WINDOW_BYTES);
    }

    /** The same services on another transport, e.g. {@code InProcessServerBuilder} in tests ({@code port} ignored). */
    public static ServerMain create(ServerConfig config, PipelineRegistry registry, ServerBuilder<?> transport) {
        return new ServerMain(config, registry, null, TrainingSetup.none(), null, transport);
    }

    /** As {@link #create(ServerConfig, PipelineRegistry, ServerBuilder)}, with a model repository. */
    public static ServerMain create(ServerConfig config, PipelineRegistry registry, ModelRepository repository,
            ServerBuilder<?> transport) {
        return new ServerMain(config, registry, repository, TrainingSetup.none(), null, transport);
    }

    /** As {@link #create(ServerConfig, PipelineRegistry, ModelRepository, TrainingSetup)} on another transport. */
    public static ServerMain create(ServerConfig config, PipelineRegistry registry, ModelRepository repository,
            TrainingSetup training, ServerBuilder<?> transport) {
        return new ServerMain(config, registry, repository, training, null, transport);
    }

    /** As {@link #create(ServerConfig, PipelineRegistry, ModelRepository, TrainingSetup, FaceService)} on another transport. */
    public static ServerMain create(ServerConfig config, PipelineRegistry registry, ModelRepository repository,
            TrainingSetup training, FaceService faces, ServerBuilder<?> transport) {
        return new ServerMain(config, registry, repository, training, faces, transport);
    }

    /**
     * Starts listening (and the metrics endpoint unless {@code metricsPort} is -1) and marks every
     * service SERVING.
     *
     * @return the bound port, or -1 for a transport without ports
     */
    public int start() throws IOException {
        if (config.metricsPort() >= 0) {
            metricsEndpoint = MetricsEndpoint.start(metrics, config.bindAddress(), config.metricsPort());
        }
        if (jobs != null) {
            jobs.start(); // before clients can ask: jobs a previous server left running are queued again
        }
        server.start();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(AffectServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(ModelServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(GRPCInferenceServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(TrainingServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(EvaluationServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        int port = server.getPort();
        LOG.log(System.Logger.Level.INFO, "affect server listening on port " + port
                + (metricsEndpoint == null ? "" : ", metrics on port " + metricsEndpoint.port()));
        return port;
    }

    /** The metrics endpoint's port, or -1 when it is off or not started. */
    public int metricsPort() {
        return metricsEndpoint == null ? -1 : metricsEndpoint.port();
    }

    public ServerConfig config() {
        return config;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public PipelineRegistry registry() {
        return registry;
    }

    /** Closes the server when the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "affect-shutdown"));
    }

    /**
     * Closes the server on SIGTERM and SIGINT from an ordinary thread, so that whoever waits in
     * {@link #awaitTermination()} can then exit with status 0 (a shutdown hook alone would leave the
     * JVM's status at 143). The shutdown hook stays as the fallback for other ways of stopping.
     */
    public void closeOnSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name),
                        signal -> Thread.ofPlatform().name("affect-signal-" + name).start(this::close));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot handle SIG" + name + ": " + e.getMessage());
            }
        }
        installShutdownHook();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitTermination() throws InterruptedException {
        closed.await();
    }

    /**
     * Health NOT_SERVING, no new calls, SHUTTING_DOWN to every stream whose received frames are then
     * answered before it ends UNAVAILABLE; calls get {@code shutdownGrace}, then are cancelled; then
     * schedulers, sessions and the registry close. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            health.enterTerminalState();
            server.shutdown();
            int streams = affect.openStreams();
            affect.shutDown();
            LOG.log(System.Logger.Level.INFO, "shutting down: " + streams + " streams told, answering frames in flight");
            try {
                if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "calls still running after {0}; cancelling them", config.shutdownGrace());
                    server.shutdownNow();
                    server.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                server.shutdownNow();
                Thread.currentThread().interrupt();
            }
            if (jobs != null) {
                jobs.close(); // running jobs stop at their next step and stay RUNNING on disk, to resume
            }
            evaluations.close();
            reaper.close();
            schedulers.close();
            models.close();
            inference.close();
            sessions.close();
            if (faces != null) {
                faces.close();
            }
            decodePool.shutdownNow();
            responsePool.shutdown();
            handlers.shutdownNow();
            registry.close();
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
            LOG.log(System.Logger.Level.INFO, "affect server closed");
        } finally {
            closed.countDown();
        }
    }
}
