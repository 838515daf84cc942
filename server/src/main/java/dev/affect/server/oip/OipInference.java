package dev.affect.server.oip;

import com.google.protobuf.ByteString;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.heads.FcHead;
import dev.affect.engine.model.heads.Head;
import dev.affect.engine.model.heads.HeadState;
import dev.affect.engine.model.heads.LstmHead;
import dev.affect.engine.model.heads.Task;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Shape;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import dev.affect.proto.inference.InferParameter;
import dev.affect.proto.inference.ModelInferRequest;
import dev.affect.proto.inference.ModelInferResponse;
import dev.affect.proto.inference.ModelStatistics;
import dev.affect.server.metrics.ServerMetrics;
import dev.affect.server.pipeline.InferenceModel;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the Open Inference Protocol service does, apart from the wire: it resolves a model of the
 * {@link PipelineRegistry}, decodes and checks the inputs, runs the backbone or head on a bounded
 * executor of its own (never a transport thread), keeps LSTM heads' sequences, and encodes the
 * outputs (always as raw little-endian bytes, which is all tritonclient reads).
 *
 * <p>Models: each pipeline's DDAMFN backbone under the pipeline's name (input {@code input} FP32
 * [-1,3,112,112]; outputs {@code logits} [-1,C] and {@code embedding} [-1,512]) and each head as
 * {@code <pipeline>.<key>} (input {@code embedding} FP32 [-1,D]; output named after its task,
 * {@code va}/{@code expr}/{@code au} after the task's activation, or {@code output} with a raw
 * head's values). One version, "1". With a face service, also {@code retinaface} (see
 * {@link FaceModel}), which takes precedence over a pipeline of that name.
 *
 * <p>Sequences (Triton's sequence extension) apply to LSTM heads: the N rows of one request are N
 * consecutive frames of the sequence named by {@code sequence_id}; see {@link SequenceStore}. A
 * request without a sequence_id runs its rows as one sequence from a zero state. Stateless models
 * (the backbone, FC heads) check the parameters' types and otherwise ignore them, as Triton does for
 * models without a sequence batcher.
 *
 * <p>Thread-safe.
 */
final class OipInference implements AutoCloseable {
    static final String VERSION = "1";
    static final String RAW_OUTPUT = "output";

    private final PipelineRegistry registry;
    private final ServerMetrics metrics;
    private final SequenceStore sequences;
    private final FaceModel faces;
    private final ThreadPoolExecutor executor;
    private final ConcurrentMap<String, ModelStats> stats = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param faces the {@code retinaface} model, or null where the server has no face detector */
    OipInference(PipelineRegistry registry, ServerMetrics metrics, OipOptions options, FaceModel faces) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.faces = faces;
        this.sequences = new SequenceStore(options.sequenceIdle(), options.maxSequences());
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(options.computeThreads(), options.computeThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.queueCapacity()), r -> {
                    Thread t = new Thread(r, "oip-infer-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        registry.onUnload(this::forget);
    }

    /** A sequence_id and its flags; {@code id} is null when the request names no sequence. */
    record SequenceParams(Object id, boolean start, boolean end) {
    }

    // ---- models and their tensors

    /** The model of that name and version, or NOT_FOUND in Triton's words. */
    InferenceModel model(String name, String version) {
        if (!version.isEmpty() && !version.equals(VERSION)) {
            throw OipErrors.unknownModel(name, version);
        }
        return registry.inferenceModel(name).orElseThrow(() -> OipErrors.unknownModel(name, version));
    }

    List<InferenceModel> models() {
        return registry.inferenceModels();
    }

    /**
     * True when {@code name} (at {@code version}, "" for any) is the face model this server serves;
     * false for any other name, which {@link #model} then resolves.
     */
    boolean isFaceModel(String name, String version) {
        if (faces == null || !FaceModel.NAME.equals(name)) {
            return false;
        }
        if (!version.isEmpty() && !version.equals(VERSION)) {
            throw OipErrors.unknownModel(name, version);
        }
        return true;
    }

    /** Whether the face model is served. */
    boolean servesFaces() {
        return faces != null;
    }

    /** The models' names, the face model first where it is served, for statistics over all. */
    List<String> modelNames() {
        List<String> names = new ArrayList<>();
        if (faces != null) {
            names.add(FaceModel.NAME);
        }
        for (InferenceModel m : models()) {
            if (faces == null || !m.name().equals(FaceModel.NAME)) {
                names.add(m.name());
            }
        }
        return names;
    }

    static boolean ready(InferenceModel m) {
        return m.owner() == null || m.owner().isOpen();
    }

    static String platform(InferenceModel m) {
        return switch (m) {
            case InferenceModel.BackboneModel b -> "affect_ddamfn";
            case InferenceModel.HeadModel h -> h.head() instanceof LstmHead ? "affect_lstm_head" : "affect_fc_head";
        };
    }

    static List<TensorSpec> inputs(InferenceModel m) {
        return switch (m) {
            case InferenceModel.BackboneModel b -> List.of(TensorSpec.fp32("input", -1, 3, DdamfnConfig.INPUT_SIZE,
                    DdamfnConfig.INPUT_SIZE));
            case InferenceModel.HeadModel h -> List.of(TensorSpec.fp32("embedding", -1, h.head().inputSize()));
        };
    }

    static List<TensorSpec> outputs(InferenceModel m) {
        return switch (m) {
            case InferenceModel.BackboneModel b -> {
                List<TensorSpec> out = new ArrayList<>();
                if (b.backbone().outputNames().contains("logits")) {
                    out.add(TensorSpec.fp32("logits", -1, b.backbone().config().numClass()));
                }
                if (b.backbone().outputNames().contains("embedding")) {
                    out.add(TensorSpec.fp32("embedding", -1, b.backbone().embeddingSize()));
                }
                yield out;
            }
            case InferenceModel.HeadModel h -> List.of(TensorSpec.fp32(outputName(h.head()), -1, h.head().outputSize()));
        };
    }

    static String outputName(Head head) {
        return head.task().map(Task::key).orElse(RAW_OUTPUT);
    }

    // ---- inference

    /**
     * Runs one request on the executor. The future fails with a {@link StatusRuntimeException};
     * RESOURCE_EXHAUSTED at once when the executor's queue is full.
     */
    CompletableFuture<ModelInferResponse> submit(ModelInferRequest request) {
        long received = System.nanoTime();
        Context context = Context.current();
        try {
            return CompletableFuture.supplyAsync(() -> infer(request, received, context), executor);
        } catch (RejectedExecutionException e) {
            if ((faces != null && FaceModel.NAME.equals(request.getModelName()))
                    || registry.inferenceModel(request.getModelName()).isPresent()) {
                metrics.failed(request.getModelName(), Status.Code.RESOURCE_EXHAUSTED.name(), false);
            }
            return CompletableFuture.failedFuture(closed
                    ? Status.UNAVAILABLE.withDescription("the inference service is shutting down").asRuntimeException()
                    : OipErrors.toStatus(e));
        }
    }

    private ModelInferResponse infer(ModelInferRequest request, long received, Context context) {
        boolean face = isFaceModel(request.getModelName(), request.getModelVersion());
        InferenceModel model = face ? null : model(request.getModelName(), request.getModelVersion());
        String name = face ? FaceModel.NAME : model.name();
        ModelStats modelStats = stats.computeIfAbsent(name, k -> new ModelStats());
        long started = System.nanoTime();
        metrics.received(name);
        metrics.queued(name, started - received);
        try {
            if (context.isCancelled()) {
                throw Status.CANCELLED.withDescription("request cancelled before it ran").asRuntimeException();
            }
            ModelInferResponse response = face ? runFaces(request, modelStats) : run(model, request, modelStats);
            long latency = System.nanoTime() - received;
            metrics.succeeded(name, latency);
            modelStats.queued(started - received);
            modelStats.succeeded(latency);
            return response;
        } catch (RuntimeException e) {
            StatusRuntimeException status = OipErrors.toStatus(e);
            metrics.failed(name, status.getStatus().getCode().name(), true);
            modelStats.failed(System.nanoTime() - received);
            throw status;
        }
    }

    private ModelInferResponse run(InferenceModel model, ModelInferRequest request, ModelStats modelStats) {
        SequenceParams seq = sequenceParams(request);
        String name = model.name();
        List<TensorSpec> outputSpecs = outputs(model);
        List<TensorSpec> wanted = requested(request, outputSpecs, name);
        ServedPipeline owner = model.owner();
        if (owner != null && !owner.acquire()) {
            throw Status.UNAVAILABLE.withDescription("model '" + name + "' is being unloaded").asRuntimeException();
        }
        try (TensorScope scope = new TensorScope()) {
            Map<String, Tensor> inputs = decodeInputs(request, inputs(model), name, scope);
            long t0 = System.nanoTime();
            Map<String, Tensor> results = switch (model) {
                case InferenceModel.BackboneModel b -> b.backbone().run(inputs.get("input"),
                        wanted.stream().map(TensorSpec::name).toList(), scope);
                case InferenceModel.HeadModel h -> runHead(name, h.head(), inputs.get("embedding"), seq, scope);
            };
            int rows = inputs.values().iterator().next().shape().dim(0);
            long compute = System.nanoTime() - t0;
            metrics.batchExecuted(name, rows, compute);
            modelStats.executed(rows, compute);
            ModelInferResponse.Builder b = ModelInferResponse.newBuilder()
                    .setModelName(name).setModelVersion(VERSION).setId(request.getId());
            for (TensorSpec spec : wanted) {
                Tensor t = results.get(spec.name());
                ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
                        .setName(spec.name()).setDatatype(spec.datatype());
                for (long d : t.shape().longDims()) {
                    o.addShape(d);
                }
                b.addOutputs(o);
                b.addRawOutputContents(TensorCodec.encode(t));
            }
            return b.build();
        } finally {
            if (owner != null) {
                owner.release();
            }
        }
    }

    /** One image through the face service; its outputs as raw bytes (FP32 little-endian, UINT8 as they are). */
    private ModelInferResponse runFaces(ModelInferRequest request, ModelStats modelStats) {
        sequenceParams(request); // stateless: the parameters' types are checked, their values ignored
        List<TensorSpec> wanted = requested(request, FaceModel.OUTPUTS, FaceModel.NAME);
        long t0 = System.nanoTime();
        FaceModel.Result result = faces.run(request);
        long compute = System.nanoTime() - t0;
        metrics.batchExecuted(FaceModel.NAME, 1, compute);
        modelStats.executed(1, compute);
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder()
                .setModelName(FaceModel.NAME).setModelVersion(VERSION).setId(request.getId());
        for (TensorSpec spec : wanted) {
            ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(spec.name()).setDatatype(spec.datatype());
            for (long d : result.shape(spec.name())) {
                o.addShape(d);
            }
            b.addOutputs(o);
            b.addRawOutputContents(result.contents(spec.name()));
        }
        return b.build();
    }

    private Map<String, Tensor> runHead(String model, Head head, Tensor embeddings, SequenceParams seq, TensorScope scope) {
        int n = embeddings.shape().dim(0);
        Tensor out = scope.allocate(DType.F32, Shape.of(n, head.outputSize()));
        switch (head) {
            case FcHead fc -> fc.forward(embeddings, out);
            case LstmHead lstm -> {
                if (seq.id() == null) {
                    HeadState fresh = lstm.newState(scope);
                    lstm.sequence(embeddings, fresh, out);
                } else {
                    SequenceStore.Key key = new SequenceStore.Key(model, seq.id());
                    SequenceStore.Sequence s = sequences.acquire(key, lstm, seq.start());
                    try {
                        lstm.sequence(embeddings, s.state, out);
                    } finally {
                        if (seq.end()) {
                            sequences.end(key, s);
                        }
                        s.lock.unlock();
                    }
                }
            }
        }
        return Map.of(outputName(head), out);
    }

    /** The outputs the request asks for, in its order, or all of them; unknown or repeated names are INVALID_ARGUMENT. */
    private static List<TensorSpec> requested(ModelInferRequest request, List<TensorSpec> outputs, String model) {
        if (request.getOutputsCount() == 0) {
            return outputs;
        }
        List<TensorSpec> wanted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ModelInferRequest.InferRequestedOutputTensor o : request.getOutputsList()) {
            TensorSpec spec = outputs.stream().filter(s -> s.name().equals(o.getName())).findFirst()
                    .orElseThrow(() -> OipErrors.invalid("unexpected inference output '" + o.getName() + "' for model '"
                            + model + "'; it gives " + outputs.stream().map(TensorSpec::name).toList()));
            if (!seen.add(o.getName())) {
                throw OipErrors.invalid("output '" + o.getName() + "' is requested twice for model '" + model + "'");
            }
            if (o.getParametersCount() > 0) {
                throw OipErrors.invalid("output '" + o.getName() + "' for model '" + model + "': output parameters "
                        + o.getParametersMap().keySet() + " are not supported");
            }
            wanted.add(spec);
        }
        return wanted;
    }

    private static Map<String, Tensor> decodeInputs(ModelInferRequest request, List<TensorSpec> specs, String model,
            TensorScope scope) {
        int given = request.getInputsCount();
        if (given != specs.size()) {
            throw OipErrors.invalid("expected " + specs.size() + " inputs but got " + given + " inputs for model '" + model
                    + "'. Got input(s) " + request.getInputsList().stream().map(i -> "'" + i.getName() + "'").toList()
                    + ", but missing required input(s) " + specs.stream().map(s -> "'" + s.name() + "'").toList());
        }
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != given) {
            throw OipErrors.invalid("expected " + given + " raw_input_contents (one per input) but got "
                    + request.getRawInputContentsCount() + " for model '" + model + "'");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < given; i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            TensorSpec spec = specs.stream().filter(s -> s.name().equals(input.getName())).findFirst()
                    .orElseThrow(() -> OipErrors.invalid("unexpected inference input '" + input.getName() + "' for model '"
                            + model + "'; it takes " + specs.stream().map(TensorSpec::toString).toList()));
            if (out.containsKey(spec.name())) {
                throw OipErrors.invalid("input '" + spec.name() + "' is given twice for model '" + model + "'");
            }
            ByteString bytes = raw ? request.getRawInputContents(i) : null;
            out.put(spec.name(), TensorCodec.decode(input, bytes, spec, model, scope));
        }
        return out;
    }

    /** Parses sequence_id / sequence_start / sequence_end, with Triton's type rules. */
    static SequenceParams sequenceParams(ModelInferRequest request) {
        Map<String, InferParameter> p = request.getParametersMap();
        Object id = null;
        InferParameter idParam = p.get("sequence_id");
        if (idParam != null) {
            switch (idParam.getParameterChoiceCase()) {
                case INT64_PARAM -> id = idParam.getInt64Param() == 0 ? null : idParam.getInt64Param();
                case STRING_PARAM -> id = idParam.getStringParam().isEmpty() ? null : idParam.getStringParam();
                default -> throw OipErrors.invalid(
                        "invalid value type for 'sequence_id' parameter, expected int64_param or string_param.");
            }
        }
        boolean start = flag(p, "sequence_start");
        boolean end = flag(p, "sequence_end");
        return new SequenceParams(id, start, end);
    }

    private static boolean flag(Map<String, InferParameter> p, String key) {
        InferParameter v = p.get(key);
        if (v == null) {
            return false;
        }
        if (v.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.BOOL_PARAM) {
            throw OipErrors.invalid("invalid value type for '" + key + "' parameter, expected bool_param.");
        }
        return v.getBoolParam();
    }

    // ---- statistics and lifecycle

    ModelStatistics statistics(InferenceModel m) {
        return statistics(m.name());
    }

    ModelStatistics statistics(String name) {
        return stats.computeIfAbsent(name, k -> new ModelStats()).toProto(name, VERSION);
    }

    long liveSequences() {
        return sequences.size();
    }

    private void forget(ServedPipeline p) {
        Set<String> names = new HashSet<>();
        names.add(p.name());
        p.heads().values().forEach(h -> names.add(p.name() + "." + h.key()));
        sequences.dropModels(names::contains);
        if (faces != null) {
            names.remove(FaceModel.NAME); // the face model's, not the shadowed pipeline's
        }
        names.forEach(stats::remove);
    }

    /** Stops taking requests, waits up to 30 s for running ones, then frees every sequence. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        sequences.close();
    }
}
