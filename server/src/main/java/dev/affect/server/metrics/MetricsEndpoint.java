package dev.affect.server.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Serves {@code /metrics} in the Prometheus text format on its own HTTP port. */
public final class MetricsEndpoint implements AutoCloseable {
    private final HTTPServer server;

    private MetricsEndpoint(HTTPServer server) {
        this.server = server;
    }

    /**
     * Starts serving.
     *
     * @param bind the address to listen on ("0.0.0.0" for all)
     * @param port 0 picks a free port ({@link #port()} tells which)
     * @throws IOException when the port cannot be bound
     */
    public static MetricsEndpoint start(ServerMetrics metrics, String bind, int port) throws IOException {
        return new MetricsEndpoint(HTTPServer.builder().hostname(bind).port(port).registry(metrics.registry()).buildAndStart());
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("closing the metrics endpoint failed", e));
        }
    }
}
