package dev.affect.server.app;

import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.ModelServiceGrpc;
import dev.affect.server.grpc.AffectServiceImpl;
import dev.affect.server.grpc.ModelServiceImpl;
import dev.affect.server.schedule.ModelRegistry;
import dev.affect.server.schedule.PredictionService;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Builds and runs the gRPC server; the one place where services, executors and transport settings
 * are wired (docs/style.md (e)).
 *
 * <p>Serves affect.v1.AffectService, affect.v1.ModelService, grpc.health.v1.Health (SERVING for the
 * whole server and each service while up) and server reflection. Owns the model registry it is
 * given: {@link #close()} drains calls, stops the compute workers, then closes the models.
 */
public final class ServerMain implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServerMain.class.getName());

    private final ServerConfig config;
    private final ModelRegistry models;
    private final PredictionService predictions;
    private final ExecutorService handlers;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Server server;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private boolean closing;

    private ServerMain(ServerConfig config, ModelRegistry models, ServerBuilder<?> transport) {
        this.config = Objects.requireNonNull(config, "config");
        this.models = Objects.requireNonNull(models, "models");
        this.predictions = new PredictionService(models, config.prediction());
        this.handlers = Executors.newFixedThreadPool(config.handlerThreads(),
                Thread.ofPlatform().name("affect-grpc-", 0).daemon(true).factory());
        this.server = transport
                .executor(handlers)
                .maxInboundMessageSize(config.maxInboundMessageBytes())
                .addService(new AffectServiceImpl(predictions))
                .addService(new ModelServiceImpl(models))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
    }

    /** A server on TCP (Netty) at {@code config.port()}, all interfaces, plaintext. */
    public static ServerMain create(ServerConfig config, ModelRegistry models) {
        ServerBuilder<?> netty = Grpc.newServerBuilderForPort(config.port(), InsecureServerCredentials.create())
                .keepAliveTime(config.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .permitKeepAliveTime(1, TimeUnit.MINUTES);
        return new ServerMain(config, models, netty);
    }

    /**
     * The same services on another transport, e.g. {@code InProcessServerBuilder} in tests.
     * {@code config.port()} is then ignored.
     */
    public static ServerMain create(ServerConfig config, ModelRegistry models, ServerBuilder<?> transport) {
        return new ServerMain(config, models, transport);
    }

    /**
     * Starts listening and marks every service SERVING.
     *
     * @return the bound port (the chosen one when the config asked for 0), or -1 for a transport
     *     without ports
     * @throws IOException when the port cannot be bound
     */
    public int start() throws IOException {
        server.start();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(AffectServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(ModelServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        int port = server.getPort();
        LOG.log(System.Logger.Level.INFO, "affect server listening on port " + port);
        return port;
    }

    public ServerConfig config() {
        return config;
    }

    /** Closes the server when the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "affect-shutdown"));
    }

    /** Blocks until {@link #close()} has finished (from any thread, the shutdown hook included). */
    public void awaitTermination() throws InterruptedException {
        closed.await();
    }

    /**
     * Health NOT_SERVING, no new calls; in-flight calls get {@code shutdownGrace} to finish, then are
     * cancelled; then the compute workers stop and the models close. Idempotent.
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
            try {
                if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "calls still running after {0}; cancelling them",
                            config.shutdownGrace());
                    server.shutdownNow();
                    server.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                server.shutdownNow();
                Thread.currentThread().interrupt();
            }
            predictions.shutdown(config.shutdownGrace().toMillis());
            handlers.shutdownNow();
            models.close();
        } finally {
            closed.countDown();
        }
    }
}
