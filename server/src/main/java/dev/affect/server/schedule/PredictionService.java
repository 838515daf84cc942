package dev.affect.server.schedule;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.image.FaceNormalizer;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.model.ddamfn.Ddamfn;
import dev.affect.engine.model.ddamfn.DdamfnConfig;
import dev.affect.engine.model.ddamfn.DdamfnNetwork;
import dev.affect.engine.model.Softmax;
import dev.affect.engine.tensor.DType;
import dev.affect.engine.tensor.Tensor;
import dev.affect.engine.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Unary prediction: decodes and preprocesses a request's frames into one batch, runs the model and
 * builds per-frame results, all on a bounded pool of compute workers (never on the caller's thread).
 *
 * <p>Cheap checks (frame count, model name) run on the caller's thread and throw at once. A full
 * queue is refused with {@link QueueFullException}; the queue never grows past
 * {@link PredictionLimits#queueCapacity()}. Cancellation is checked before each expensive stage.
 *
 * <p>Each request is batched on its own; batching frames across requests and sessions belongs to the
 * scheduler that streaming sessions will bring.
 */
public final class PredictionService implements AutoCloseable {
    private static final List<String> LOGITS_ONLY = List.of(DdamfnNetwork.LOGITS);
    private static final List<String> LOGITS_AND_EMBEDDING = List.of(DdamfnNetwork.LOGITS, DdamfnNetwork.EMBEDDING);

    private final ModelRegistry models;
    private final FacePreprocessor preprocessor;
    private final PredictionLimits limits;
    private final ThreadPoolExecutor workers;

    /** With {@link ImageDecoder#best()} (libjpeg-turbo for JPEG where it loads; thread-safe either way). */
    public PredictionService(ModelRegistry models, PredictionLimits limits) {
        this(models, new FacePreprocessor(ImageDecoder.best()), limits);
    }

    public PredictionService(ModelRegistry models, FacePreprocessor preprocessor, PredictionLimits limits) {
        this.models = Objects.requireNonNull(models, "models");
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.workers = new ThreadPoolExecutor(limits.computeThreads(), limits.computeThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(limits.queueCapacity()), Thread.ofPlatform().name("affect-compute-", 0).daemon(true).factory(),
                new ThreadPoolExecutor.AbortPolicy());
    }

    public PredictionLimits limits() {
        return limits;
    }

    /**
     * Queues a request. The future completes on a compute worker, with the prediction or with the
     * failure ({@link dev.affect.engine.image.ImageFormatException} for a frame that is not an image,
     * {@link RequestCancelledException}, or a bug, which is never an {@link InvalidInputException}).
     *
     * @param cancelled polled before each expensive stage; true abandons the request
     * @throws InvalidInputException (field {@code frames}) no frames, or more than the limit
     * @throws ModelNotFoundException the model is not loaded
     * @throws QueueFullException every worker is busy and the queue is full
     * @throws ServerUnavailableException the service is shutting down
     */
    public CompletableFuture<Prediction> submit(PredictionRequest request, BooleanSupplier cancelled) {
        Objects.requireNonNull(cancelled, "cancelled");
        int n = request.frames().size();
        if (n == 0) {
            throw new InvalidInputException("frames", "a request needs at least one frame");
        }
        if (n > limits.maxFramesPerRequest()) {
            throw new InvalidInputException("frames", "at most " + limits.maxFramesPerRequest() + " frames per request, got " + n);
        }
        ServedModel model = models.resolve(request.model());
        CompletableFuture<Prediction> result = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    result.complete(run(model, request, cancelled));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            if (workers.isShutdown()) {
                throw new ServerUnavailableException("server is shutting down");
            }
            throw new QueueFullException("server busy: " + limits.queueCapacity() + " requests already waiting; retry later");
        }
        return result;
    }

    private Prediction run(ServedModel served, PredictionRequest request, BooleanSupplier cancelled) {
        // the decoded frames are the request's: freed when it is answered, not when a GC finds them
        try (TensorScope requestScope = new TensorScope()) {
            return run(served, request, cancelled, requestScope);
        }
    }

    private Prediction run(ServedModel served, PredictionRequest request, BooleanSupplier cancelled, TensorScope scope) {
        checkNotCancelled(cancelled);
        List<FrameInput> frames = request.frames();
        int n = frames.size();
        Tensor batch = scope.allocate(DType.F32, Ddamfn.inputShape(n));
        for (int i = 0; i < n; i++) {
            switch (frames.get(i)) {
                case FrameInput.EncodedImage image ->
                        FaceNormalizer.writeInto(batch, i, preprocessor.face(image.data(), "frames[" + i + "].image"));
                case FrameInput.Normalized face -> batch.slice(i, i + 1).copyFrom(face.chw());
            }
        }
        Ddamfn model = served.model();
        int classes = served.numClass();
        float[] logits = new float[n * classes];
        float[] embedding = request.includeEmbedding() ? new float[n * DdamfnConfig.EMBEDDING] : null;
        List<String> outputs = request.includeEmbedding() ? LOGITS_AND_EMBEDDING : LOGITS_ONLY;
        for (int start = 0; start < n; start += limits.maxBatch()) {
            checkNotCancelled(cancelled);
            int end = Math.min(n, start + limits.maxBatch());
            Map<String, Tensor> out = execute(model, batch.slice(start, end), outputs, scope);
            float[] l = out.get(DdamfnNetwork.LOGITS).toFloatArray();
            System.arraycopy(l, 0, logits, start * classes, l.length);
            if (embedding != null) {
                float[] e = out.get(DdamfnNetwork.EMBEDDING).toFloatArray();
                System.arraycopy(e, 0, embedding, start * DdamfnConfig.EMBEDDING, e.length);
            }
        }
        List<String> names = served.classNames();
        List<FramePrediction> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] row = Arrays.copyOfRange(logits, i * classes, (i + 1) * classes);
            int top = argmax(row);
            float[] emb = embedding == null ? null
                    : Arrays.copyOfRange(embedding, i * DdamfnConfig.EMBEDDING, (i + 1) * DdamfnConfig.EMBEDDING);
            results.add(new FramePrediction(row, softmax(row), top, names.get(top), emb));
        }
        return new Prediction(served.name(), results);
    }

    /**
     * Runs the model on a batch this service built from validated frames: if the model still rejects
     * it, the fault is ours, not the client's, so it is an internal error (logged, INTERNAL), never
     * INVALID_ARGUMENT.
     */
    private static Map<String, Tensor> execute(Ddamfn model, Tensor batch, List<String> outputs, TensorScope scope) {
        try {
            return model.run(batch, outputs, scope);
        } catch (InvalidInputException e) {
            throw new IllegalStateException("the model rejected a batch built from validated frames: " + e.getMessage(), e);
        }
    }

    private static void checkNotCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new RequestCancelledException("request cancelled by the caller");
        }
    }

    /** Class probabilities, computed in double and rounded to float. */
    static float[] softmax(float[] logits) {
        double[] p = Softmax.of(logits, 0, logits.length);
        float[] out = new float[p.length];
        for (int k = 0; k < p.length; k++) {
            out[k] = (float) p[k];
        }
        return out;
    }

    /** The index of the largest value (the first one on ties). */
    static int argmax(float[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Stops taking requests and waits up to {@code timeoutMillis} for queued ones, then interrupts. */
    public void shutdown(long timeoutMillis) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(30_000);
    }
}
