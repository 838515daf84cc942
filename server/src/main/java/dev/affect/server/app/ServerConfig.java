package dev.affect.server.app;

import dev.affect.server.schedule.SchedulerConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How a server is built.
 *
 * @param bindAddress the address to listen on ("0.0.0.0" = every interface); also the metrics endpoint's
 * @param port TCP port; 0 picks a free one ({@link ServerMain#start()} returns it)
 * @param metricsPort Prometheus {@code /metrics} port (default 9464); 0 picks one; -1 = off
 * @param maxInboundMessageBytes the largest request accepted
 * @param handlerThreads gRPC's bounded executor for handlers (which only validate and enqueue)
 * @param responseThreads the shared pool results are built and sent on (each call serialised on it)
 * @param keepAliveTime server-initiated HTTP/2 pings on idle connections
 * @param shutdownGrace how long calls may finish on shutdown before they are cancelled
 * @param maxFramesPerRequest frames of one Predict request at most (default 64)
 * @param scheduling batch size, max delay, decode threads, queue bounds
 * @param maxSessions sessions held at once (default 256)
 * @param idleTimeout a session without traffic is dropped after this (default 60 s)
 * @param sessionCredit frames of one stream in flight at most (default 4)
 * @param maxFramePixels decoded pixels of one image at most (default 4096*4096)
 * @param decodePixelBudget decoded pixels of every image being decoded at once (default 4 frames' worth)
 * @param maxFaces faces of one frame a stream in every-face mode follows at most (default 8); with the
 *     tracker's missed-frame limit it bounds the track states a session holds
 */
public record ServerConfig(String bindAddress, int port, int metricsPort, int maxInboundMessageBytes, int handlerThreads,
        int responseThreads, Duration keepAliveTime, Duration shutdownGrace, int maxFramesPerRequest,
        SchedulerConfig scheduling, int maxSessions, Duration idleTimeout, int sessionCredit, long maxFramePixels,
        long decodePixelBudget, int maxFaces) {
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_PORT = 50051;
    public static final int DEFAULT_METRICS_PORT = 9464;
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_HANDLER_THREADS = 4;
    public static final int DEFAULT_RESPONSE_THREADS = 2;
    public static final int DEFAULT_MAX_FRAMES_PER_REQUEST = 64;
    public static final int DEFAULT_MAX_SESSIONS = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_SESSION_CREDIT = 4;
    public static final long DEFAULT_MAX_FRAME_PIXELS = 4096L * 4096;
    public static final long DEFAULT_DECODE_PIXEL_BUDGET = 4 * DEFAULT_MAX_FRAME_PIXELS;
    public static final int DEFAULT_MAX_FACES = 8;

    public ServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(keepAliveTime, "keepAliveTime");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(scheduling, "scheduling");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("metricsPort must be in 0..65535 or -1 (off), got " + metricsPort);
        }
        if (maxInboundMessageBytes < 1024) {
            throw new IllegalArgumentException("maxInboundMessageBytes must be at least 1024, got " + maxInboundMessageBytes);
        }
        if (handlerThreads < 1 || responseThreads < 1) {
            throw new IllegalArgumentException("handlerThreads and responseThreads must be at least 1");
        }
        if (keepAliveTime.isNegative() || keepAliveTime.isZero() || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("keepAliveTime must be positive and shutdownGrace not negative");
        }
        if (maxFramesPerRequest < 1 || maxSessions < 1 || sessionCredit < 1) {
            throw new IllegalArgumentException("maxFramesPerRequest, maxSessions and sessionCredit must be at least 1");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
        if (maxFramePixels < 1 || decodePixelBudget < maxFramePixels) {
            throw new IllegalArgumentException("maxFramePixels must be positive and decodePixelBudget at least maxFramePixels");
        }
        if (maxFaces < 1) {
            throw new IllegalArgumentException("maxFaces must be at least 1, got " + maxFaces);
        }
    }

    /** Every default: port 50051 on all interfaces, metrics on 9464. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_BIND_ADDRESS, DEFAULT_PORT, DEFAULT_METRICS_PORT, DEFAULT_MAX_INBOUND_MESSAGE_BYTES,
                DEFAULT_HANDLER_THREADS, DEFAULT_RESPONSE_THREADS, Duration.ofHours(2), Duration.ofSeconds(30),
                DEFAULT_MAX_FRAMES_PER_REQUEST, SchedulerConfig.defaults(), DEFAULT_MAX_SESSIONS, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_SESSION_CREDIT, DEFAULT_MAX_FRAME_PIXELS, DEFAULT_DECODE_PIXEL_BUDGET, DEFAULT_MAX_FACES);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bindAddress, p, metricsPort, maxInboundMessageBytes, handlerThreads, responseThreads,
                keepAliveTime, shutdownGrace, maxFramesPerRequest, scheduling, maxSessions, idleTimeout, sessionCredit,
                maxFramePixels, decodePixelBudget, maxFaces);
    }

    public ServerConfig withMetricsPort(int p) {
        return new ServerConfig(bindAddress, port, p, maxInboundMessageBytes, handlerThreads, responseThreads,
                keepAliveTime, shutdownGrace, maxFramesPerRequest, scheduling, maxSessions, idleTimeout, sessionCredit,
                maxFramePixels, decodePixelBudget, maxFaces);
    }

    public ServerConfig withScheduling(SchedulerConfig s) {
        return new ServerConfig(bindAddress, port, metricsPort, maxInboundMessageBytes, handlerThreads, responseThreads,
                keepAliveTime, shutdownGrace, maxFramesPerRequest, s, maxSessions, idleTimeout, sessionCredit,
                maxFramePixels, decodePixelBudget, maxFaces);
    }

    public ServerConfig withMaxFramesPerRequest(int n) {
        return new ServerConfig(bindAddress, port, metricsPort, maxInboundMessageBytes, handlerThreads, responseThreads,
                keepAliveTime, shutdownGrace, n, scheduling, maxSessions, idleTimeout, sessionCredit,
                maxFramePixels, decodePixelBudget, maxFaces);
    }

    public ServerConfig withSessions(int max, Duration idle, int credit) {
        return new ServerConfig(bindAddress, port, metricsPort, maxInboundMessageBytes, handlerThreads, responseThreads,
                keepAliveTime, shutdownGrace, maxFramesPerRequest, scheduling, max, idle, credit,
                maxFramePixels, decodePixelBudget, maxFaces);
    }

    public ServerConfig withPixelLimits(long perFrame, long serverWide) {
        return new ServerConfig(bindAddress, port, metricsPort, maxInboundMessageBytes, handlerThreads, responseThreads,
                keepAliveTime, shutdownGrace, maxFramesPerRequest, scheduling, maxSessions, idleTimeout, sessionCredit,
                perFrame, serverWide, maxFaces);
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new ServerConfig(bindAddress, port, metricsPort, maxInboundMessageBytes, handlerThreads, responseThreads,
                keepAliveTime, grace, maxFramesPerRequest, scheduling, maxSessions, idleTimeout, sessionCredit,
                maxFramePixels, decodePixelBudget, maxFaces);
    }

    public ServerConfig withBindAddress(String address) {
        return new ServerConfig(address, port, metricsPort, maxInboundMessageBytes, handlerThreads, responseThreads,
                keepAliveTime, shutdownGrace, maxFramesPerRequest, scheduling, maxSessions, idleTimeout, sessionCredit,
                maxFramePixels, decodePixelBudget, maxFaces);
    }

    /** Every-face streams follow at most {@code n} faces per frame. */
    public ServerConfig withMaxFaces(int n) {
        return new ServerConfig(bindAddress, port, metricsPort, maxInboundMessageBytes, handlerThreads, responseThreads,
                keepAliveTime, shutdownGrace, maxFramesPerRequest, scheduling, maxSessions, idleTimeout, sessionCredit,
                maxFramePixels, decodePixelBudget, n);
    }
}
