package dev.affect.server.app;

import dev.affect.server.schedule.PredictionLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * How a server is built: transport settings and the prediction path's bounds.
 *
 * @param port TCP port to listen on; 0 picks a free one ({@link ServerMain#start()} returns it)
 * @param maxInboundMessageBytes the largest request accepted (64 frames of 112x112 float32 are ~9.6 MB)
 * @param handlerThreads gRPC's executor for handlers (which only validate and enqueue)
 * @param keepAliveTime server-initiated HTTP/2 pings on idle connections
 * @param shutdownGrace how long in-flight calls may finish on shutdown before they are cancelled
 * @param prediction frames per request, batch size, compute workers and queue capacity
 */
public record ServerConfig(int port, int maxInboundMessageBytes, int handlerThreads, Duration keepAliveTime,
        Duration shutdownGrace, PredictionLimits prediction) {
    public static final int DEFAULT_PORT = 50051;
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_HANDLER_THREADS = 4;

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (maxInboundMessageBytes < 1024) {
            throw new IllegalArgumentException("maxInboundMessageBytes must be at least 1024, got " + maxInboundMessageBytes);
        }
        if (handlerThreads < 1) {
            throw new IllegalArgumentException("handlerThreads must be at least 1, got " + handlerThreads);
        }
        Objects.requireNonNull(keepAliveTime, "keepAliveTime");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(prediction, "prediction");
        if (keepAliveTime.isNegative() || keepAliveTime.isZero() || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("keepAliveTime must be positive and shutdownGrace not negative");
        }
    }

    /** Port 50051, 16 MiB messages, 4 handler threads, 2 h keepalive, 30 s grace, default limits. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_PORT, DEFAULT_MAX_INBOUND_MESSAGE_BYTES, DEFAULT_HANDLER_THREADS,
                Duration.ofHours(2), Duration.ofSeconds(30), PredictionLimits.defaults());
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(newPort, maxInboundMessageBytes, handlerThreads, keepAliveTime, shutdownGrace, prediction);
    }

    public ServerConfig withPrediction(PredictionLimits newPrediction) {
        return new ServerConfig(port, maxInboundMessageBytes, handlerThreads, keepAliveTime, shutdownGrace, newPrediction);
    }
}
