package dev.affect.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, named as Triton names them so that dashboards built for Triton
 * work ({@code nv_inference_*}, labels {@code model} and {@code version}; counters get the
 * OpenMetrics {@code _total} suffix), plus what streaming adds ({@code affect_*}). No per-session
 * labels: their cardinality would grow with clients.
 *
 * <p>Thread-safe; each call is a few atomic adds.
 */
public final class ServerMetrics {
    private static final String VERSION = "1";

    private final PrometheusRegistry registry;
    private final Counter success;
    private final Counter failure;
    private final Counter inferenceCount;
    private final Counter execCount;
    private final Gauge pending;
    private final Counter requestDurationUs;
    private final Counter queueDurationUs;
    private final Counter computeInferDurationUs;
    private final Histogram batchSize;
    private final Histogram frameLatency;
    private final FrameRate frameRate = new FrameRate();

    /** Metrics in a registry of their own (tests; several servers in one JVM). */
    public ServerMetrics() {
        this(new PrometheusRegistry());
    }

    public ServerMetrics(PrometheusRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        success = Counter.builder().name("nv_inference_request_success")
                .help("Requests and frames answered successfully").labelNames("model", "version").register(registry);
        failure = Counter.builder().name("nv_inference_request_failure")
                .help("Requests and frames that failed, by gRPC status reason").labelNames("model", "version", "reason")
                .register(registry);
        inferenceCount = Counter.builder().name("nv_inference_count")
                .help("Frames inferred (batch rows that were not padding)").labelNames("model", "version").register(registry);
        execCount = Counter.builder().name("nv_inference_exec_count")
                .help("Batches executed").labelNames("model", "version").register(registry);
        pending = Gauge.builder().name("nv_inference_pending_request_count")
                .help("Frames received and not yet answered").labelNames("model", "version").register(registry);
        requestDurationUs = Counter.builder().name("nv_inference_request_duration_us")
                .help("Cumulative time from receiving a frame to its result, microseconds").labelNames("model", "version")
                .register(registry);
        queueDurationUs = Counter.builder().name("nv_inference_queue_duration_us")
                .help("Cumulative time frames waited for a batch, microseconds").labelNames("model", "version")
                .register(registry);
        computeInferDurationUs = Counter.builder().name("nv_inference_compute_infer_duration_us")
                .help("Cumulative time spent executing batches, microseconds").labelNames("model", "version")
                .register(registry);
        batchSize = Histogram.builder().name("affect_batch_size")
                .help("Frames per executed batch").labelNames("model")
                .classicUpperBounds(1, 2, 4, 8, 16, 32, 64).register(registry);
        frameLatency = Histogram.builder().name("affect_frame_latency_seconds")
                .help("From receiving a frame to its result").labelNames("model")
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5).register(registry);
        GaugeWithCallback.builder().name("affect_frames_per_second")
                .help("Frames answered per second over the last 10 seconds")
                .callback(cb -> cb.call(frameRate.perSecond())).register(registry);
        CounterWithCallback.builder().name("affect_frames_answered")
                .help("Frames answered since start").callback(cb -> cb.call(frameRate.total())).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Reports the number of open sessions whenever metrics are scraped. */
    public void sessionsActive(IntSupplier sessions) {
        GaugeWithCallback.builder().name("affect_sessions_active")
                .help("Streaming sessions held (attached or idle within their window)")
                .callback(cb -> cb.call(sessions.getAsInt())).register(registry);
    }

    /** Reports the every-face track states held (each with its own LSTM state) whenever metrics are scraped. */
    public void faceTracksActive(IntSupplier tracks) {
        GaugeWithCallback.builder().name("affect_face_tracks_active")
                .help("Faces followed by every-face streams, each holding its own temporal state")
                .callback(cb -> cb.call(tracks.getAsInt())).register(registry);
    }

    /** A frame (or unary request) was accepted for {@code model}. */
    public void received(String model) {
        pending.labelValues(model, VERSION).inc();
    }

    /** A frame or request that was {@link #received} got its answer after {@code latencyNanos}. */
    public void succeeded(String model, long latencyNanos) {
        pending.labelValues(model, VERSION).dec();
        success.labelValues(model, VERSION).inc();
        requestDurationUs.labelValues(model, VERSION).inc(latencyNanos / 1_000L);
        frameLatency.labelValues(model).observe(latencyNanos / 1e9);
        frameRate.add(1);
    }

    /**
     * A frame or request failed; {@code reason} is the gRPC status code's name (INVALID_ARGUMENT,
     * RESOURCE_EXHAUSTED, CANCELLED, ...).
     *
     * @param wasReceived whether it was counted by {@link #received} (refusals at the door are not)
     */
    public void failed(String model, String reason, boolean wasReceived) {
        if (wasReceived) {
            pending.labelValues(model, VERSION).dec();
        }
        failure.labelValues(model, VERSION, reason).inc();
    }

    /** A frame waited {@code queueNanos} before its batch started. */
    public void queued(String model, long queueNanos) {
        queueDurationUs.labelValues(model, VERSION).inc(queueNanos / 1_000L);
    }

    /** A batch of {@code frames} real rows ran in {@code computeNanos}. */
    public void batchExecuted(String model, int frames, long computeNanos) {
        execCount.labelValues(model, VERSION).inc();
        inferenceCount.labelValues(model, VERSION).inc(frames);
        computeInferDurationUs.labelValues(model, VERSION).inc(computeNanos / 1_000L);
        batchSize.labelValues(model).observe(frames);
    }
}
