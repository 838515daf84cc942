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
import dev.affect.proto.v1.DescribeModelRequest;
import dev.affect.proto.v1.LoadModelRequest;
import dev.affect.proto.v1.PipelineSpec;
import dev.affect.proto.v1.UnloadModelRequest;
import dev.affect.proto.v1.CancelJobRequest;
import dev.affect.proto.v1.GetJobRequest;
import dev.affect.proto.v1.JobEvent;
import dev.affect.proto.v1.JobSpec;
import dev.affect.proto.v1.JobState;
import dev.affect.proto.v1.ListJobsRequest;
import dev.affect.proto.v1.PromoteJobRequest;
import dev.affect.proto.v1.StartJobRequest;
import dev.affect.proto.v1.StartJobStreamRequest;
import dev.affect.proto.v1.StartJobStreamStart;
import dev.affect.proto.v1.TrainingServiceGrpc;
import dev.affect.proto.v1.WatchJobRequest;
import java.util.Iterator;
import java.util.function.Consumer;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
    private final AffectServiceGrpc.AffectServiceStub affectAsync;
    private final ModelServiceGrpc.ModelServiceBlockingStub models;
    private final TrainingServiceGrpc.TrainingServiceBlockingStub training;
    private final TrainingServiceGrpc.TrainingServiceStub trainingAsync;
    private final dev.affect.proto.v1.EvaluationServiceGrpc.EvaluationServiceBlockingStub evaluation;
    private final dev.affect.proto.v1.EvaluationServiceGrpc.EvaluationServiceStub evaluationAsync;

    private AffectClient(ManagedChannel channel, Duration defaultTimeout) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.defaultTimeout = checkTimeout(defaultTimeout);
        this.affect = AffectServiceGrpc.newBlockingStub(channel);
        this.affectAsync = AffectServiceGrpc.newStub(channel);
        this.models = ModelServiceGrpc.newBlockingStub(channel);
        this.training = TrainingServiceGrpc.newBlockingStub(channel);
        this.trainingAsync = TrainingServiceGrpc.newStub(channel);
        this.evaluation = dev.affect.proto.v1.EvaluationServiceGrpc.newBlockingStub(channel);
        this.evaluationAsync = dev.affect.proto.v1.EvaluationServiceGrpc.newStub(channel);
    }

    /** A builder: {@code AffectClient.builder().target("host", 50051).tls(caFile).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings of a new client. Give a target (host and port, or a gRPC target string) or a channel;
     * transport security defaults to plaintext, which suits localhost and trusted networks only.
     */
    public static final class Builder {
        private String target;
        private ManagedChannel channel;
        private Path trustCerts;
        private boolean tls;
        private Duration defaultTimeout = DEFAULT_TIMEOUT;
        private int maxInboundMessageBytes = MAX_INBOUND_MESSAGE_BYTES;

        private Builder() {
        }

        public Builder target(String host, int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535, got " + port);
            }
            return target(host + ":" + port);
        }

        /** {@code host:port}, or a URI such as {@code dns:///host:port}. */
        public Builder target(String newTarget) {
            Objects.requireNonNull(newTarget, "target");
            if (newTarget.isBlank()) {
                throw new IllegalArgumentException("empty target; expected host:port");
            }
            this.target = newTarget;
            return this;
        }

        /** An existing channel (in-process, custom TLS, ...), which the client then owns and closes. */
        public Builder channel(ManagedChannel existing) {
            this.channel = Objects.requireNonNull(existing, "channel");
            return this;
        }

        /** TLS, trusting the certificates in this PEM file (e.g. a private CA). */
        public Builder tls(Path trustCertsFile) {
            this.trustCerts = Objects.requireNonNull(trustCertsFile, "trustCertsFile");
            this.tls = true;
            return this;
        }

        /** TLS, trusting the JVM's default certificate authorities. */
        public Builder tls() {
            this.trustCerts = null;
            this.tls = true;
            return this;
        }

        /** No transport security (the default). */
        public Builder plaintext() {
            this.trustCerts = null;
            this.tls = false;
            return this;
        }

        /** The deadline of unary calls that don't set their own. */
        public Builder defaultTimeout(Duration timeout) {
            this.defaultTimeout = checkTimeout(timeout);
            return this;
        }

        public Builder maxInboundMessageBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxInboundMessageBytes must be >= 1024, got " + bytes);
            }
            this.maxInboundMessageBytes = bytes;
            return this;
        }

        public AffectClient build() {
            if (channel != null) {
                if (target != null || tls) {
                    throw new IllegalStateException("give either a channel or a target (with its security), not both");
                }
                return new AffectClient(channel, defaultTimeout);
            }
            if (target == null) {
                throw new IllegalStateException("no target: call target(host, port) or channel(...)");
            }
            ChannelCredentials credentials;
            if (!tls) {
                credentials = InsecureChannelCredentials.create();
            } else if (trustCerts == null) {
                credentials = TlsChannelCredentials.create();
            } else {
                try {
                    credentials = TlsChannelCredentials.newBuilder().trustManager(trustCerts.toFile()).build();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read trust certificates " + trustCerts, e);
                }
            }
            return new AffectClient(Grpc.newChannelBuilder(target, credentials)
                    .maxInboundMessageSize(maxInboundMessageBytes).build(), defaultTimeout);
        }
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
        return builder().target(target).defaultTimeout(defaultTimeout).build();
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
        java.util.EnumSet<Task> tasks = java.util.EnumSet.noneOf(Task.class);
        tasks.addAll(options.tasks());
        for (Task t : tasks) {
            request.addTasks(t.proto());
        }
        for (byte[] image : images) {
            request.addFrames(Frame.newBuilder().setImage(ByteString.copyFrom(image)));
        }
        PredictResponse response;
        try {
            response = affect.withDeadlineAfter(timeoutOf(options.timeout()).toNanos(), TimeUnit.NANOSECONDS)
                    .predict(request.build());
        } catch (StatusRuntimeException e) {
            throw AffectClientException.of(e.getStatus(), e);
        }
        if (response.getPredictionsCount() != images.size()) {
            throw AffectClientException.of(Status.DATA_LOSS.withDescription("asked for " + images.size()
                    + " predictions, got " + response.getPredictionsCount()), null);
        }
        List<FrameResult> results = new ArrayList<>(response.getPredictionsCount());
        for (FramePrediction p : response.getPredictionsList()) {
            results.add(new FrameResult(p.getExpression(), p.getExpressionIndex(), toArray(p.getLogitsList()),
                    toArray(p.getProbabilitiesList()), toArray(p.getEmbeddingList()),
                    p.hasAffect() ? Affect.of(p.getAffect()) : null));
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
            throw AffectClientException.of(e.getStatus(), e);
        }
        List<ModelDescription> out = new ArrayList<>();
        for (ModelInfo m : response.getModelsList()) {
            out.add(ModelDescription.of(m, m.getName().equals(response.getDefaultModel())));
        }
        return List.copyOf(out);
    }

    /** One loaded pipeline; {@link AffectClientException.NotFound} when it is not loaded. */
    public ModelDescription describeModel(String name) {
        Objects.requireNonNull(name, "name");
        try {
            return ModelDescription.of(models.withDeadlineAfter(defaultTimeout.toNanos(), TimeUnit.NANOSECONDS)
                    .describeModel(DescribeModelRequest.newBuilder().setName(name).build()), false);
        } catch (StatusRuntimeException e) {
            throw AffectClientException.of(e.getStatus(), e);
        }
    }

    /** Loads models/&lt;name&gt;/pipeline.json from the server's model repository. */
    public ModelDescription loadModel(String name) {
        return loadModel(name, null);
    }

    /**
     * Loads a pipeline from checkpoints on the server's file system ({@code null} files: its model
     * repository). {@link AffectClientException.AlreadyExists} when the name is taken,
     * {@link AffectClientException.NotFound} for a missing file, {@link AffectClientException.InvalidArgument}
     * for a checkpoint of the wrong kind.
     */
    public ModelDescription loadModel(String name, PipelineFiles files) {
        Objects.requireNonNull(name, "name");
        LoadModelRequest.Builder request = LoadModelRequest.newBuilder().setName(name);
        if (files != null) {
            request.setSpec(PipelineSpec.newBuilder().setBackbone(files.backbone()).setVaHead(files.vaHead())
                    .setExprHead(files.exprHead()).setAuHead(files.auHead()));
        }
        try {
            // loading reads checkpoints and plans the model: give it more than a prediction's deadline
            return ModelDescription.of(models.withDeadlineAfter(defaultTimeout.toNanos() * 4, TimeUnit.NANOSECONDS)
                    .loadModel(request.build()), false);
        } catch (StatusRuntimeException e) {
            throw AffectClientException.of(e.getStatus(), e);
        }
    }

    /** Unloads a pipeline; its open sessions end with ABORTED. */
    public void unloadModel(String name) {
        Objects.requireNonNull(name, "name");
        try {
            models.withDeadlineAfter(defaultTimeout.toNanos(), TimeUnit.NANOSECONDS)
                    .unloadModel(UnloadModelRequest.newBuilder().setName(name).build());
        } catch (StatusRuntimeException e) {
            throw AffectClientException.of(e.getStatus(), e);
        }
    }

    /**
     * Starts a training job on the server (paths in the spec are the server's, inside its data roots).
     * {@link AffectClientException.InvalidArgument} names a bad field (e.g. {@code spec.hyper.window}),
     * {@link AffectClientException.PermissionDenied} refuses a path outside the data roots.
     */
    public JobInfo startJob(JobSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return call(() -> JobInfo.of(training.withDeadlineAfter(defaultTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .startJob(StartJobRequest.newBuilder().setSpec(spec).build())));
    }

    /**
     * Starts a training job on labelled frames sent from here rather than a data root on the server:
     * the server writes them to disk as they come (the spec's data_root stays empty; its backbone is a
     * path on the server) and queues the job when the last has arrived. Each video's frames come
     * together, in order, and the two splits each need a video labelled for the job's task. Sending
     * blocks while the connection is not ready, so memory stays flat however many frames there are;
     * no deadline. If the iterator throws, or this thread is interrupted, the upload is cancelled and
     * the server keeps nothing. {@link AffectClientException.InvalidArgument} names a bad frame by its
     * position ({@code frames[12].label.valence}), {@link AffectClientException.ResourceExhausted}
     * when the upload passes the server's size limit.
     */
    public JobInfo startJob(JobSpec spec, Iterator<TrainingFrame> frames) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(frames, "frames");
        StartJobStreamRequest start = StartJobStreamRequest.newBuilder()
                .setStart(StartJobStreamStart.newBuilder().setSpec(spec)).build();
        Iterator<StartJobStreamRequest> messages = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return frames.hasNext();
            }

            @Override
            public StartJobStreamRequest next() {
                TrainingFrame f = frames.next();
                return StartJobStreamRequest.newBuilder().setFrame(f.frame()).setSplit(f.split()).setIndex(f.index())
                        .build();
            }
        };
        return JobInfo.of(ClientUpload.<StartJobStreamRequest, dev.affect.proto.v1.Job>run(trainingAsync::startJobStream,
                start, messages));
    }

    /** As {@link #startJob(JobSpec, Iterator)} on a stream of frames (closed when done). */
    public JobInfo startJob(JobSpec spec, java.util.stream.Stream<TrainingFrame> frames) {
        Objects.requireNonNull(frames, "frames");
        try (frames) {
            return startJob(spec, frames.iterator());
        }
    }

    /** One job; {@link AffectClientException.NotFound} for an unknown id. */
    public JobInfo getJob(String id) {
        Objects.requireNonNull(id, "id");
        return call(() -> JobInfo.of(training.withDeadlineAfter(defaultTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .getJob(GetJobRequest.newBuilder().setId(id).build())));
    }

    /** The server's jobs, newest first; {@code state} null for every state. */
    public List<JobInfo> listJobs(JobState state) {
        ListJobsRequest.Builder request = ListJobsRequest.newBuilder();
        if (state != null) {
            request.setState(state);
        }
        return call(() -> training.withDeadlineAfter(defaultTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .listJobs(request.build()).getJobsList().stream().map(JobInfo::of).toList());
    }

    /** Asks a job to stop (a queued one at once, a running one at its next step); the job as it is now. */
    public JobInfo cancelJob(String id) {
        Objects.requireNonNull(id, "id");
        return call(() -> JobInfo.of(training.withDeadlineAfter(defaultTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .cancelJob(CancelJobRequest.newBuilder().setId(id).build())));
    }

    /**
     * Follows a job until it ends, calling {@code onUpdate} with each event (the job as it is first),
     * on this thread; returns the job as it ended. No deadline: a job can run for hours.
     */
    public JobInfo watchJob(String id, Consumer<JobUpdate> onUpdate) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(onUpdate, "onUpdate");
        return call(() -> {
            Iterator<JobEvent> events = training.watchJob(WatchJobRequest.newBuilder().setId(id).build());
            JobInfo last = null;
            while (events.hasNext()) {
                JobUpdate u = JobUpdate.of(events.next());
                last = u.job();
                onUpdate.accept(u);
            }
            if (last == null) {
                throw AffectClientException.of(Status.DATA_LOSS.withDescription("the watch of job " + id
                        + " ended without an event"), null);
            }
            return last;
        });
    }

    /**
     * Serves a SUCCEEDED job's head in a loaded pipeline ({@code pipeline} empty: the default one);
     * new streams use it, open ones keep theirs. Returns the pipeline as it now serves.
     */
    public ModelDescription promoteJob(String id, String pipeline) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pipeline, "pipeline");
        return call(() -> ModelDescription.of(training.withDeadlineAfter(defaultTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .promoteJob(PromoteJobRequest.newBuilder().setId(id).setPipeline(pipeline).build()).getPipeline(), false));
    }

    /**
     * Scores a loaded pipeline on a split of an ABAW data root on the server (inside its data roots).
     * No deadline: a split can take long. {@link AffectClientException.PermissionDenied} for a root
     * outside the data roots, {@link AffectClientException.InvalidArgument} naming a bad field.
     */
    public dev.affect.proto.v1.EvaluationResult evaluate(dev.affect.proto.v1.EvaluateRequest request) {
        Objects.requireNonNull(request, "request");
        return call(() -> evaluation.evaluate(request));
    }

    /**
     * Scores a loaded pipeline on labelled frames sent from here: {@code start}, then {@code frames}
     * (each video's frames together, in order). Blocks until the server answers.
     * {@link AffectClientException.InvalidArgument} names a bad frame by its position.
     */
    public dev.affect.proto.v1.EvaluationResult evaluateStream(dev.affect.proto.v1.EvaluateStart start,
            Iterable<dev.affect.proto.v1.LabelledFrame> frames) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(frames, "frames");
        Iterator<dev.affect.proto.v1.LabelledFrame> it = frames.iterator();
        Iterator<dev.affect.proto.v1.EvaluateStreamRequest> messages = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public dev.affect.proto.v1.EvaluateStreamRequest next() {
                return dev.affect.proto.v1.EvaluateStreamRequest.newBuilder().setFrame(it.next()).build();
            }
        };
        // sent as the connection takes them (ClientUpload), not all buffered at once
        return ClientUpload.<dev.affect.proto.v1.EvaluateStreamRequest, dev.affect.proto.v1.EvaluationResult>run(
                evaluationAsync::evaluateStream,
                dev.affect.proto.v1.EvaluateStreamRequest.newBuilder().setStart(start).build(), messages);
    }

    private static <T> T call(java.util.function.Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw AffectClientException.of(e.getStatus(), e);
        }
    }

    /**
     * Opens a video stream whose results are read with {@link FrameStream#take} or
     * {@link FrameStream#results()}. Sends {@code open} (or {@code resume}) at once; the session's
     * id arrives with {@link FrameStream#awaitStarted}.
     */
    public FrameStream openStream(StreamOptions options) {
        return start(options, null);
    }

    /** Opens a video stream whose session, results, events and end go to {@code listener}. */
    public FrameStream openStream(StreamOptions options, StreamListener listener) {
        return start(options, Objects.requireNonNull(listener, "listener"));
    }

    private FrameStream start(StreamOptions options, StreamListener listener) {
        Objects.requireNonNull(options, "options");
        FrameStream stream = new FrameStream(listener, options.maxInFlight());
        AffectServiceGrpc.AffectServiceStub stub = options.timeout() == null ? affectAsync
                : affectAsync.withDeadlineAfter(options.timeout().toNanos(), TimeUnit.NANOSECONDS);
        stub.stream(stream.observer());
        stream.open(options);
        return stream;
    }

    /** The channel, for other services on the same server (e.g. the Open Inference Protocol). */
    public ManagedChannel channel() {
        return channel;
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
