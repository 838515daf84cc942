package dev.affect.client;

import com.google.protobuf.ByteString;
import dev.affect.proto.v1.AffectServiceGrpc;
import dev.affect.proto.v1.Frame;
import dev.affect.proto.v1.FramePrediction;
import dev.affect.proto.v1.ListModelsRequest;
import dev.affect.proto.v1.ListModelsResponse;
import dev.affect.proto.v1.ModelInfo;
import dev.affect.proto.v1.ModelServiceGrpc;
import dev.affect.proto.v1.PredictRequest;
import dev.affect.proto.v1.PredictResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The Java SDK for an affect server: expression predictions for face crops, and the loaded models.
 *
 * <p>Every call has a deadline (the client's default unless the call says otherwise) and fails with
 * {@link AffectClientException}. Thread-safe; one client (one channel) serves any number of threads.
 * Closing it closes the channel.
 */
public final class AffectClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Responses with embeddings for many frames can pass gRPC's 4 MiB default. */
    private static final int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final ManagedChannel channel;
    private final Duration defaultTimeout;
    private final AffectServiceGrpc.AffectServiceBlockingStub affect;
    private final ModelServiceGrpc.ModelServiceBlockingStub models;

    private AffectClient(ManagedChannel channel, Duration defaultTimeout) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.defaultTimeout = checkTimeout(defaultTimeout);
        this.affect = AffectServiceGrpc.newBlockingStub(channel);
        this.models = ModelServiceGrpc.newBlockingStub(channel);
    }

    /** A plaintext connection to {@code host:port}. */
    public static AffectClient connect(String host, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
        return forTarget(host + ":" + port);
    }

    /** A plaintext connection to a gRPC target: {@code host:port}, or a URI such as {@code dns:///host:port}. */
    public static AffectClient forTarget(String target) {
        return forTarget(target, DEFAULT_TIMEOUT);
    }

    /** As {@link #forTarget(String)}, with the deadline calls get when they don't set one. */
    public static AffectClient forTarget(String target, Duration defaultTimeout) {
        Objects.requireNonNull(target, "target");
        if (target.isBlank()) {
            throw new IllegalArgumentException("empty target; expected host:port");
        }
        ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .build();
        return new AffectClient(channel, defaultTimeout);
    }

    /** A client over an existing channel (in-process, TLS, ...), which it then owns and closes. */
    public static AffectClient forChannel(ManagedChannel channel, Duration defaultTimeout) {
        return new AffectClient(channel, defaultTimeout);
    }

    /** Predicts each encoded JPEG/PNG face crop with the default model. */
    public List<FrameResult> predict(List<byte[]> images) {
        return predict(images, PredictOptions.defaults());
    }

    /** Predicts each encoded JPEG/PNG face crop; one result per image, in order. */
    public List<FrameResult> predict(List<byte[]> images, PredictOptions options) {
        Objects.requireNonNull(options, "options");
        PredictRequest.Builder request = PredictRequest.newBuilder()
                .setModel(options.model())
                .setIncludeEmbedding(options.includeEmbedding());
        for (byte[] image : images) {
            request.addFrames(Frame.newBuilder().setImage(ByteString.copyFrom(image)));
        }
        PredictResponse response;
        try {
            response = affect.withDeadlineAfter(timeoutOf(options.timeout()).toNanos(), TimeUnit.NANOSECONDS)
                    .predict(request.build());
        } catch (StatusRuntimeException e) {
            throw new AffectClientException(e.getStatus(), e);
        }
        if (response.getPredictionsCount() != images.size()) {
            throw new AffectClientException(Status.DATA_LOSS.withDescription("asked for " + images.size()
                    + " predictions, got " + response.getPredictionsCount()), null);
        }
        List<FrameResult> results = new ArrayList<>(response.getPredictionsCount());
        for (FramePrediction p : response.getPredictionsList()) {
            results.add(new FrameResult(p.getExpression(), p.getExpressionIndex(), toArray(p.getLogitsList()),
                    toArray(p.getProbabilitiesList()), toArray(p.getEmbeddingList())));
        }
        return results;
    }

    /** The models the server has loaded, in its order. */
    public List<ModelDescription> listModels() {
        return listModels(null);
    }

    /** As {@link #listModels()}, with this deadline ({@code null}: the client's default). */
    public List<ModelDescription> listModels(Duration timeout) {
        ListModelsResponse response;
        try {
            response = models.withDeadlineAfter(timeoutOf(timeout).toNanos(), TimeUnit.NANOSECONDS)
                    .listModels(ListModelsRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw new AffectClientException(e.getStatus(), e);
        }
        List<ModelDescription> out = new ArrayList<>();
        for (ModelInfo m : response.getModelsList()) {
            out.add(new ModelDescription(m.getName(), m.getNumClass(), m.getNumHead(), m.getClassNamesList(),
                    m.getBackend(), m.getName().equals(response.getDefaultModel())));
        }
        return List.copyOf(out);
    }

    /** Closes the channel, waiting briefly for calls in flight. */
    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private Duration timeoutOf(Duration perCall) {
        return perCall == null ? defaultTimeout : checkTimeout(perCall);
    }

    private static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return timeout;
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
