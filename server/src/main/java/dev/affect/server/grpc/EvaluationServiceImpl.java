package dev.affect.server.grpc;

import dev.affect.engine.InvalidInputException;
import dev.affect.engine.data.abaw.AbawDataset;
import dev.affect.engine.data.abaw.AbawSplit;
import dev.affect.engine.evaluation.DatasetEvaluation;
import dev.affect.engine.evaluation.DatasetEvaluator;
import dev.affect.engine.evaluation.SequencePredictor;
import dev.affect.engine.image.FacePreprocessor;
import dev.affect.engine.image.ImageDecoder;
import dev.affect.engine.model.heads.Task;
import dev.affect.proto.v1.EvaluateRequest;
import dev.affect.proto.v1.EvaluateStreamRequest;
import dev.affect.proto.v1.EvaluationResult;
import dev.affect.proto.v1.EvaluationServiceGrpc;
import dev.affect.server.jobs.DataRoots;
import dev.affect.server.pipeline.PipelineRegistry;
import dev.affect.server.pipeline.ServedPipeline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * affect.v1.EvaluationService: a loaded pipeline scored on a data root under the server's data roots
 * (Evaluate, run on an executor of its own, one evaluation at a time, stopped between videos when
 * the client goes away) or on labelled frames the client streams ({@link EvaluationStream}).
 */
public final class EvaluationServiceImpl extends EvaluationServiceGrpc.EvaluationServiceImplBase implements AutoCloseable {
    /** Frames per backbone pass; the head state is carried between passes. */
    static final int CHUNK = 64;

    private final PipelineRegistry registry;
    private final DataRoots roots;
    private final ExecutorService runs = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("affect-evaluate-", 0).daemon(true).factory());

    public EvaluationServiceImpl(PipelineRegistry registry, DataRoots roots) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.roots = Objects.requireNonNull(roots, "roots");
    }

    @Override
    public void evaluate(EvaluateRequest request, StreamObserver<EvaluationResult> observer) {
        ServerCallStreamObserver<EvaluationResult> out = (ServerCallStreamObserver<EvaluationResult>) observer;
        ServedPipeline pipeline;
        AbawDataset dataset;
        AbawSplit split;
        Set<Task> tasks;
        try {
            Path root = roots.resolve(request.getDataRoot(), "data_root");
            split = split(request.getSplit());
            dataset = AbawDataset.open(root);
            pipeline = acquire(registry, request.getPipeline());
            tasks = tasks(request.getTasksList(), pipeline, "tasks");
        } catch (Exception e) {
            out.onError(TrainingStatus.of(e));
            return;
        }
        try {
            runs.execute(() -> run(pipeline, dataset, split, tasks, out));
        } catch (RejectedExecutionException e) {
            pipeline.release();
            out.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
        }
    }

    private static void run(ServedPipeline pipeline, AbawDataset dataset, AbawSplit split, Set<Task> tasks,
            ServerCallStreamObserver<EvaluationResult> out) {
        EvaluationResult result;
        try {
            DatasetEvaluator evaluator = new DatasetEvaluator(predictor(pipeline));
            DatasetEvaluation e = evaluator.evaluate(dataset, split, evaluator.videos(dataset, split, tasks),
                    DatasetEvaluator.PredictionSink.NONE, out::isCancelled);
            result = EvaluationProto.result(pipeline.name(), e);
        } catch (java.util.concurrent.CancellationException e) {
            return; // the client went away
        } catch (Exception e) {
            out.onError(TrainingStatus.of(e));
            return;
        } finally {
            pipeline.release();
        }
        out.onNext(result);
        out.onCompleted();
    }

    @Override
    public StreamObserver<EvaluateStreamRequest> evaluateStream(StreamObserver<EvaluationResult> out) {
        return new EvaluationStream(registry, out);
    }

    /** Stops taking evaluations; one running is stopped at its next video by its cancelled call. */
    @Override
    public void close() {
        runs.shutdownNow();
    }

    /** The pipeline's sequence predictor over its heads, on the server's image decoder. */
    static SequencePredictor predictor(ServedPipeline pipeline) {
        return new SequencePredictor(pipeline.pipeline().orElseThrow(() -> new InvalidInputException("pipeline",
                "pipeline '" + pipeline.name() + "' has no head to evaluate")), new FacePreprocessor(ImageDecoder.best()),
                CHUNK);
    }

    /** A reference to the named pipeline (empty: the default), held until released. */
    static ServedPipeline acquire(PipelineRegistry registry, String name) {
        ServedPipeline p = registry.resolve(name);
        if (!p.acquire()) {
            throw Status.UNAVAILABLE.withDescription("pipeline '" + p.name() + "' was just unloaded; retry")
                    .asRuntimeException();
        }
        return p;
    }

    /** The tasks asked (each with a head in the pipeline), or every task it has a head for. */
    static Set<Task> tasks(List<dev.affect.proto.v1.Task> asked, ServedPipeline pipeline, String field) {
        Set<Task> tasks = EnumSet.noneOf(Task.class);
        for (int i = 0; i < asked.size(); i++) {
            tasks.add(ProtoMapping.task(asked.get(i), field + "[" + i + "]"));
        }
        if (tasks.isEmpty()) {
            tasks.addAll(pipeline.tasks());
        }
        List<Task> missing = new ArrayList<>(tasks);
        missing.removeAll(pipeline.tasks());
        if (!missing.isEmpty() || tasks.isEmpty()) {
            pipeline.release();
            throw new InvalidInputException(field, "pipeline '" + pipeline.name() + "' has heads for " + pipeline.tasks()
                    + (missing.isEmpty() ? "" : ", not for " + missing));
        }
        return tasks;
    }

    private static AbawSplit split(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "", "validation" -> AbawSplit.VALIDATION;
            case "train" -> AbawSplit.TRAIN;
            default -> throw new InvalidInputException("split", "must be validation or train, got '" + s + "'");
        };
    }
}
